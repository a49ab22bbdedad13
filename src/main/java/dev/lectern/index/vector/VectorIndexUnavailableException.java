package dev.lectern.index.vector;

/** The vector index cannot be reached (Qdrant down, network partition): retry later, nothing was lost. */
public class VectorIndexUnavailableException extends RuntimeException {

    public VectorIndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
