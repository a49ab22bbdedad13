package dev.lectern.index.vector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code lectern.qdrant.*}: where the Qdrant index is, if anywhere. {@code url} and {@code api-key} are read from
 * {@code QDRANT_URL} and {@code QDRANT_API_KEY} (application.properties maps them); the others from
 * {@code LECTERN_QDRANT_*}.
 */
@ConfigMapping(prefix = "lectern.qdrant")
public interface QdrantConfig {

    /** Qdrant's gRPC endpoint ({@code QDRANT_URL}); absent or blank means the in-process index. */
    Optional<String> url();

    /** {@code QDRANT_API_KEY}, sent as the {@code api-key} header. */
    Optional<String> apiKey();

    /** The collection; its metadata records the embedding model ({@code LECTERN_QDRANT_COLLECTION}). */
    @WithDefault("lectern_chunks")
    String collection();

    /**
     * Deadline of every call to Qdrant; a call that cannot reach Qdrant fails with
     * {@link VectorIndexUnavailableException} ({@code LECTERN_QDRANT_TIMEOUT}).
     */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Whether readiness goes DOWN while Qdrant is unreachable; by default it reports the vector index but stays UP
     * (see {@link VectorIndexHealthCheck}; {@code LECTERN_QDRANT_READINESS_REQUIRED}).
     */
    @WithDefault("false")
    boolean readinessRequired();
}
