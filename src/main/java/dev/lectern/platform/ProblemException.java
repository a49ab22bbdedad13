package dev.lectern.platform;

import java.util.List;

/**
 * A failure the caller can act on, mapped to problem+json by {@link ProblemMappers}.
 * Services throw it (or fail a Uni with it); resources never build error responses themselves.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        this(status, type, title, detail, errors, null);
    }

    /** A problem answered with {@code Retry-After: retryAfterSeconds} (a temporary condition the client may retry). */
    public ProblemException(
            int status,
            String type,
            String title,
            String detail,
            List<Problem.FieldError> errors,
            Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail, null);
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** A validation failure; field errors are sorted by field so responses are deterministic. */
    public static ProblemException invalid(List<Problem.FieldError> unsorted) {
        List<Problem.FieldError> errors = unsorted.stream()
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = Problem.summary(errors);
        return new ProblemException(400, "validation", "Invalid request", detail, errors);
    }

    public static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "Payload too large", detail, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Seconds for a Retry-After header, or null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
