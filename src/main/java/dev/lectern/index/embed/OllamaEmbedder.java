package dev.lectern.index.embed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An Ollama server: {@code POST {baseUrl}/api/embed} with {@code {"model":…,"input":[…]}}, answered by
 * {@code {"embeddings":[[…],…]}} in input order.
 */
public final class OllamaEmbedder extends RemoteEmbedder {

    public static final String DEFAULT_BASE_URL = "http://localhost:11434";
    public static final String DEFAULT_MODEL = "nomic-embed-text";

    public OllamaEmbedder(RemoteEndpoint endpoint) {
        super(endpoint, "/api/embed", "ollama:");
    }

    @Override
    List<float[]> vectors(JsonNode response) {
        JsonNode embeddings = response.path("embeddings");
        if (!embeddings.isArray()) {
            throw new EmbeddingException("the Ollama response has no \"embeddings\" array");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            vectors.add(floats(embeddings.get(i), "embeddings[" + i + "]"));
        }
        return vectors;
    }
}
