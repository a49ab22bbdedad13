package dev.lectern.index.embed;

import dev.lectern.index.chunk.ChunkingConfig;
import dev.lectern.index.chunk.MarkdownChunker;
import dev.lectern.index.chunk.TokenCounter;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import org.jboss.logging.Logger;

/** Chooses the embedder from {@code lectern.embedding.provider} and builds the chunker that matches it. */
@ApplicationScoped
public class EmbedderProducer {

    private static final Logger LOG = Logger.getLogger(EmbedderProducer.class);

    @Produces
    @ApplicationScoped
    @DefaultBean
    Embedder embedder(EmbeddingConfig config) {
        Embedder embedder = create(config);
        LOG.infof("Embedding with %s", embedder.model());
        return embedder;
    }

    static Embedder create(EmbeddingConfig config) {
        return switch (config.provider()) {
            case ONNX, LOCAL ->
                new OnnxEmbedder(
                        config.threads().orElse(Runtime.getRuntime().availableProcessors()), config.batchSize());
            case OPENAI ->
                new OpenAiEmbedder(endpoint(config, OpenAiEmbedder.DEFAULT_BASE_URL, OpenAiEmbedder.DEFAULT_MODEL));
            case OLLAMA ->
                new OllamaEmbedder(endpoint(config, OllamaEmbedder.DEFAULT_BASE_URL, OllamaEmbedder.DEFAULT_MODEL));
        };
    }

    private static RemoteEndpoint endpoint(EmbeddingConfig config, String defaultBaseUrl, String defaultModel) {
        return new RemoteEndpoint(
                URI.create(config.baseUrl().orElse(defaultBaseUrl)),
                config.model().orElse(defaultModel),
                config.apiKey(),
                config.dimension(),
                config.batchSize(),
                config.timeout(),
                config.maxRetries(),
                config.retryBackoff());
    }

    void close(@Disposes Embedder embedder) throws Exception {
        if (embedder instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * Chunks are measured in all-MiniLM-L6-v2's WordPiece tokens whatever the provider. For the in-process model the
     * counts are exact. For remote models (OpenAI's BPE, nomic's tokenizer…) they are an approximation, close for
     * English prose and conservative for code; every such model accepts far more than the 256-token default, so the
     * approximation only makes chunk sizes slightly uneven, never too long to embed.
     */
    @Produces
    @Singleton
    @DefaultBean
    TokenCounter tokenCounter() {
        return new MiniLmTokenCounter();
    }

    @Produces
    @Singleton
    @DefaultBean
    MarkdownChunker chunker(TokenCounter counter, ChunkingConfig config) {
        return new MarkdownChunker(counter, config.targetTokens(), config.overlapTokens());
    }
}
