package dev.lectern.index.embed;

/** An embedding could not be computed: the provider refused the request, kept failing, or answered nonsense. */
public class EmbeddingException extends RuntimeException {

    private final int status;

    public EmbeddingException(String message) {
        this(message, 0, null);
    }

    public EmbeddingException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    public EmbeddingException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The provider's HTTP status, or 0 when the failure was not an HTTP response. */
    public int status() {
        return status;
    }
}
