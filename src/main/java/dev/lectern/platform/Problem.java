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

        @Schema(description = "Field-level validation errors")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://lectern.dev/problems/";

    public record FieldError(
            @Schema(example = "slug") String field,

            @Schema(example = "must match \"^[a-z0-9]+(-[a-z0-9]+)*$\"")
            String message) {}
}
