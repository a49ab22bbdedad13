package dev.lectern.index.vector;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** Chooses the vector index: Qdrant when {@code QDRANT_URL} is set, otherwise the in-process index. */
@ApplicationScoped
public class VectorIndexProducer {

    private static final Logger LOG = Logger.getLogger(VectorIndexProducer.class);

    @Produces
    @ApplicationScoped
    VectorIndex vectorIndex(QdrantConfig config, InProcessIndexConfig inProcess) {
        return config.url()
                .filter(url -> !url.isBlank())
                .<VectorIndex>map(
                        url -> QdrantVectorIndex.connect(url, config.apiKey(), config.collection(), config.timeout()))
                .orElseGet(() -> {
                    InProcessVectorIndex.Tuning tuning = inProcess.tuning();
                    LOG.infof(
                            "vector index: in-process, %s (set QDRANT_URL to use Qdrant)",
                            tuning.strategy() == InProcessVectorIndex.Strategy.EXACT
                                    ? "exact scans only"
                                    : "shortlists from one-bit codes above " + tuning.exactBelow()
                                            + " points, exact scans below");
                    return new InProcessVectorIndex(tuning);
                });
    }

    void close(@Disposes VectorIndex index) {
        if (index instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warnf("closing the %s vector index failed: %s", index.kind(), e.getMessage());
            }
        }
    }
}
