package dev.lectern.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details, the body of every 4xx and 5xx answer. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "URI identifying the problem type", example = "https://lectern.dev/problems/validation")
        String type,

        @Schema(example = "Invalid request") String title,
        @Schema(example = "400") int status,

        @Schema(example = "slug: must match \"^[a-z0-9]+(-[a-z0-9]+)*$\"")
        String detail,

        @Schema(description = "Request path the problem occurred on")
        String instance,

        @Schema(description = "Field-level validation errors, at most the first " + MAX_ERRORS)
        List<FieldError> errors,

        @Schema(
                description =
                        "How many field errors there are in all (errors lists at most the first " + MAX_ERRORS + ")")
        Integer errorCount) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://lectern.dev/problems/";
    /** A problem lists at most this many field errors, so its size does not grow with a hostile request's. */
    public static final int MAX_ERRORS = 20;

    /** A problem with these field errors: the first {@link #MAX_ERRORS} of them, and how many there are in all. */
    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(
                type,
                title,
                status,
                detail,
                instance,
                errors == null || errors.size() <= MAX_ERRORS ? errors : List.copyOf(errors.subList(0, MAX_ERRORS)),
                errors == null || errors.isEmpty() ? null : errors.size());
    }

    /** The type of a problem known only by its HTTP reason phrase: "Method Not Allowed" → …/method-not-allowed. */
    public static String typeOf(String title) {
        return TYPE_BASE
                + title.toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("(^-|-$)", "");
    }

    /** "field: message; …" of the first {@link #MAX_ERRORS} errors, and how many more there are: linear in the list. */
    public static String summary(List<FieldError> errors) {
        StringBuilder detail = new StringBuilder();
        for (FieldError error : errors.subList(0, Math.min(errors.size(), MAX_ERRORS))) {
            if (!detail.isEmpty()) {
                detail.append("; ");
            }
            detail.append(error.field()).append(": ").append(error.message());
        }
        if (errors.size() > MAX_ERRORS) {
            detail.append("; and ").append(errors.size() - MAX_ERRORS).append(" more");
        }
        return detail.toString();
    }

    public record FieldError(
            @Schema(example = "slug") String field,

            @Schema(example = "must match \"^[a-z0-9]+(-[a-z0-9]+)*$\"")
            String message) {}
}
