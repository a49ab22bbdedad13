package dev.lectern.index.embed;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where and how to reach a remote embedding model.
 *
 * @param baseUrl the server, e.g. {@code https://api.openai.com} or {@code http://ollama:11434}
 * @param model the provider's model name, e.g. {@code text-embedding-3-small} or {@code nomic-embed-text}
 * @param apiKey sent as a bearer token when present
 * @param dimension the vector length when known in advance; otherwise learnt from the first response
 * @param batchSize inputs per request
 * @param timeout for connecting and for each whole request
 * @param maxRetries further attempts after a 429, a 5xx, a timeout or a connection failure
 * @param retryBackoff the first wait between attempts; it doubles each time (a {@code Retry-After} header wins)
 */
public record RemoteEndpoint(
        URI baseUrl,
        String model,
        Optional<String> apiKey,
        OptionalInt dimension,
        int batchSize,
        Duration timeout,
        int maxRetries,
        Duration retryBackoff) {

    public RemoteEndpoint {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("an embedding model name is required");
        }
        if (batchSize < 1 || maxRetries < 0 || timeout.isNegative() || timeout.isZero() || retryBackoff.isNegative()) {
            throw new IllegalArgumentException(
                    "batch size must be positive, retries and back-off not negative, timeout positive");
        }
        if (dimension.isPresent() && dimension.getAsInt() < 1) {
            throw new IllegalArgumentException("the embedding dimension must be positive");
        }
        apiKey = apiKey.filter(key -> !key.isBlank());
    }

    /** {@code baseUrl} followed by {@code path}, without a doubled slash. */
    URI resolve(String path) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }
}
