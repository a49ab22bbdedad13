package dev.lectern.index.vector;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** {@code lectern.qdrant.*}: where the Qdrant index is, if anywhere. Defaults live in application.properties. */
@ConfigMapping(prefix = "lectern.qdrant")
public interface QdrantConfig {

    /** Qdrant's gRPC endpoint ({@code QDRANT_URL}); absent or blank means the in-process index. */
    Optional<String> url();

    /** {@code QDRANT_API_KEY}, sent as the {@code api-key} header. */
    Optional<String> apiKey();

    String collection();

    /** Deadline of every call to Qdrant. */
    Duration timeout();

    /** Whether readiness goes DOWN while Qdrant is unreachable (see {@link VectorIndexHealthCheck}). */
    boolean readinessRequired();
}
