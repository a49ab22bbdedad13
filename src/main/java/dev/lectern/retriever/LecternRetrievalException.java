package dev.lectern.retriever;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Lectern could not give a context pack. For an error answer, the RFC 9457 problem Lectern sent: its {@link #status()},
 * {@link #title()}, {@link #detail()}, {@link #type()} and field {@link #errors()} (a 400), and {@link #retryAfter()}
 * when Lectern said when to try again (a 503 while the vector index is unreachable). Without an answer (Lectern
 * unreachable, the timeout passed), {@link #status()} is 0 and the cause says why.
 *
 * <p>The message reads like {@code Lectern answered 400 Bad Request: tokenBudget: must be greater than or equal to
 * 50}, so a log line or a chat service's error report says what to change.
 */
public class LecternRetrievalException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<String> errors;
    private final Duration retryAfter;

    LecternRetrievalException(
            int status, String type, String title, String detail, List<String> errors, Duration retryAfter) {
        super(message(status, title, detail, errors));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** No answer at all: {@code what} failed for {@code cause}. */
    LecternRetrievalException(String what, Throwable cause) {
        super("Lectern did not answer: " + what, cause);
        this.status = 0;
        this.type = null;
        this.title = null;
        this.detail = what;
        this.errors = List.of();
        this.retryAfter = null;
    }

    /** The HTTP status, or 0 when Lectern did not answer. */
    public int status() {
        return status;
    }

    /** The problem type URI ({@code https://lectern.dev/problems/…}), or null when the answer was not a problem. */
    public String type() {
        return type;
    }

    /** The problem's title (or the status's reason phrase); null when Lectern did not answer. */
    public String title() {
        return title;
    }

    /** The problem's detail, or what failed; may be null. */
    public String detail() {
        return detail;
    }

    /** A validation problem's field errors as {@code field: message}; empty otherwise. */
    public List<String> errors() {
        return errors;
    }

    /** How long Lectern asked to wait before a retry ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String message(int status, String title, String detail, List<String> errors) {
        StringBuilder message = new StringBuilder("Lectern answered ").append(status);
        if (title != null) {
            message.append(' ').append(title);
        }
        if (detail != null && !detail.isBlank()) {
            message.append(": ").append(detail);
        } else if (!errors.isEmpty()) {
            message.append(": ").append(String.join("; ", errors));
        }
        return message.toString();
    }
}
