package dev.lectern.index.embed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * Any OpenAI-compatible embeddings endpoint (OpenAI, Azure-style gateways, vLLM, LiteLLM, LocalAI, TEI…):
 * {@code POST {baseUrl}/v1/embeddings} with {@code {"model":…,"input":[…]}}, answered by
 * {@code {"data":[{"index":i,"embedding":[…]}]}}. Entries are put back in input order by {@code index}. A base URL
 * that already ends in {@code /v1} (the OpenAI SDKs' convention) is accepted as is.
 */
public final class OpenAiEmbedder extends RemoteEmbedder {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com";
    public static final String DEFAULT_MODEL = "text-embedding-3-small";

    public OpenAiEmbedder(RemoteEndpoint endpoint) {
        super(
                endpoint,
                endpoint.baseUrl().getPath().replaceAll("/+$", "").endsWith("/v1") ? "/embeddings" : "/v1/embeddings",
                "openai:");
    }

    @Override
    List<float[]> vectors(JsonNode response) {
        JsonNode data = response.path("data");
        if (!data.isArray()) {
            throw new EmbeddingException("the embeddings response has no \"data\" array");
        }
        float[][] vectors = new float[data.size()][];
        for (JsonNode entry : data) {
            int index = entry.path("index").asInt(-1);
            if (!entry.path("index").canConvertToInt()
                    || index < 0
                    || index >= vectors.length
                    || vectors[index] != null) {
                throw new EmbeddingException("the embeddings response has a missing, duplicate or out-of-range index: "
                        + entry.path("index"));
            }
            vectors[index] = floats(entry.path("embedding"), "data[" + index + "].embedding");
        }
        return Arrays.asList(vectors);
    }
}
