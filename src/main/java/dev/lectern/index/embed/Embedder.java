package dev.lectern.index.embed;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Turns passages and queries into vectors. Implementations: the in-process ONNX model (default), an
 * OpenAI-compatible {@code /v1/embeddings} endpoint, and Ollama.
 *
 * <p>Every stored vector records {@link #model()} and {@link #dimension()}; a different pair means a different
 * vector space, so the index is rebuilt rather than mixed.
 */
public interface Embedder {

    /** Stable model identifier, e.g. {@code all-minilm-l6-v2} or {@code openai:text-embedding-3-small}. */
    String model();

    /**
     * Length of every vector. A remote embedder configured without {@code lectern.embedding.dimension} learns it from
     * its first response and throws {@link IllegalStateException} until then: use {@link #resolveDimension()} where
     * the answer may not be known yet (creating a vector collection, for instance).
     */
    int dimension();

    /** The dimension, asking the model for one probe vector first if it is not known yet. */
    default Uni<Integer> resolveDimension() {
        return Uni.createFrom().item(this::dimension);
    }

    /**
     * Embeds passages in order; one vector (L2-normalised) per input. Never runs model work on the event loop. This is
     * ingestion: where the model's capacity is limited it waits behind queries, and for capacity rather than failing.
     */
    Uni<List<float[]>> embed(List<String> texts);

    /**
     * Embeds a search query (models with query prefixes apply them here). Someone is waiting for the answer: where the
     * model's capacity is limited, queries go ahead of ingestion ({@link OnnxEmbedder}).
     */
    default Uni<float[]> embedQuery(String query) {
        return embed(List.of(query)).map(vectors -> vectors.get(0));
    }
}
