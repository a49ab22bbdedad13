package dev.lectern.index.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lectern.platform.Offload;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedding model behind HTTP: batching, the bearer key, timeouts, retries with exponential back-off on 429, 5xx
 * and network failures, clear errors for anything else, vector validation and normalisation, and the discovery of the
 * dimension from the first response. Subclasses only know their wire format.
 *
 * <p>Requests go through the JDK's non-blocking {@link HttpClient}; responses complete on its threads and are handed
 * back to the caller's Vert.x context. Batches of one call are sent one after another, which is kind to rate limits.
 * Waits between attempts are scheduled, never slept.
 *
 * <p>Unlike {@link OnnxEmbedder}, nothing here needs to put queries ahead of ingestion: there is no queue and no
 * concurrency limit in Lectern (the client opens a connection per concurrent request), so a query is sent at once,
 * beside the one request in flight per chapter being indexed (the outbox worker's {@code lectern.index.concurrency}
 * chapters and a rebuild's one). A provider that serialises requests (Ollama with {@code OLLAMA_NUM_PARALLEL=1}, say)
 * makes a query wait for those few requests, not for whole chapters.
 */
abstract class RemoteEmbedder implements Embedder, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int MAX_ERROR_DETAIL = 300;

    private final RemoteEndpoint endpoint;
    private final URI uri;
    private final HttpClient client;
    private final AtomicInteger dimension;
    private final String modelId;

    /** {@code path} is the endpoint below the base URL; the model id is {@code idPrefix} and the provider's model name. */
    RemoteEmbedder(RemoteEndpoint endpoint, String path, String idPrefix) {
        this.endpoint = endpoint;
        this.modelId = idPrefix + endpoint.model();
        this.uri = endpoint.resolve(path);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.timeout())
                .build();
        this.dimension = new AtomicInteger(endpoint.dimension().orElse(0));
    }

    /** The JSON body asking for the vectors of {@code texts}: {@code {"model":…,"input":[…]}} in both dialects. */
    ObjectNode request(String model, List<String> texts) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        texts.forEach(body.putArray("input")::add);
        return body;
    }

    /** The vectors of a successful response, in input order; {@link EmbeddingException} if it is malformed. */
    abstract List<float[]> vectors(JsonNode response);

    @Override
    public String model() {
        return modelId;
    }

    @Override
    public int dimension() {
        int known = dimension.get();
        if (known == 0) {
            throw new IllegalStateException(model() + " has not answered yet, so its dimension is unknown: "
                    + "set lectern.embedding.dimension or call resolveDimension() first");
        }
        return known;
    }

    @Override
    public Uni<Integer> resolveDimension() {
        int known = dimension.get();
        return known != 0
                ? Uni.createFrom().item(known)
                : embed(List.of("dimension probe")).map(vectors -> vectors.get(0).length);
    }

    @Override
    public Uni<List<float[]>> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // Plain CompletableFutures inside: responses complete on the HTTP client's threads, and Mutiny pipelines
        // (with their context-propagation hooks) are only assembled here, on the caller's thread.
        return Offload.resumeOnCallerContext(Uni.createFrom().completionStage(() -> {
            Vectors.requireText(texts);
            return embedBatches(Vectors.batches(texts, endpoint.batchSize()));
        }));
    }

    private CompletableFuture<List<float[]>> embedBatches(List<List<String>> batches) {
        CompletableFuture<List<float[]>> all = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<String> batch : batches) {
            all = all.thenCompose(done -> embedBatch(batch).thenApply(vectors -> {
                done.addAll(vectors);
                return done;
            }));
        }
        return all.thenApply(List::copyOf);
    }

    private CompletableFuture<List<float[]>> embedBatch(List<String> batch) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request(endpoint.model(), batch));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new EmbeddingException("cannot encode the embedding request", e));
        }
        return send(body, 0).thenApply(response -> checked(vectors(response), batch.size()));
    }

    private List<float[]> checked(List<float[]> vectors, int expected) {
        if (vectors.size() != expected) {
            throw new EmbeddingException(uri + " returned " + vectors.size() + " vectors for " + expected + " inputs");
        }
        List<float[]> unit = new ArrayList<>(vectors.size());
        for (float[] vector : vectors) {
            int known = dimension.get();
            if (known == 0 && vector.length > 0) {
                dimension.compareAndSet(0, vector.length);
                known = dimension.get();
            }
            if (vector.length != known) {
                throw new EmbeddingException(
                        model() + " returned a vector of " + vector.length + " dimensions, expected " + known
                                + (endpoint.dimension().isPresent()
                                        ? " (lectern.embedding.dimension)"
                                        : " (as in its first response)"));
            }
            unit.add(Vectors.normalize(vector));
        }
        return unit;
    }

    private CompletableFuture<JsonNode> send(byte[] body, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(endpoint.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        endpoint.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(this::parse)
                .exceptionallyCompose(failure -> retryOrFail(unwrap(failure), body, attempt));
    }

    private JsonNode parse(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new Retryable(status, detail(response.body()), retryAfter(response));
        }
        if (status < 200 || status >= 300) {
            throw new EmbeddingException(
                    uri + " refused the embedding request: HTTP " + status + ": " + detail(response.body()),
                    status,
                    null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new EmbeddingException(uri + " answered with invalid JSON", status, e);
        }
    }

    private CompletableFuture<JsonNode> retryOrFail(Throwable failure, byte[] body, int attempt) {
        boolean retryable = failure instanceof Retryable || failure instanceof IOException;
        if (!retryable) {
            return CompletableFuture.failedFuture(failure);
        }
        if (attempt >= endpoint.maxRetries()) {
            String what =
                    failure instanceof Retryable r ? "HTTP " + r.status + ": " + r.getMessage() : failure.toString();
            int status = failure instanceof Retryable r ? r.status : 0;
            return CompletableFuture.failedFuture(new EmbeddingException(
                    "embedding request to " + uri + " failed after " + (attempt + 1) + " attempts: " + what,
                    status,
                    failure));
        }
        Duration wait = failure instanceof Retryable r && r.retryAfter != null ? r.retryAfter : backoff(attempt);
        Executor later = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> attempt + 1, later).thenCompose(next -> send(body, next));
    }

    private Duration backoff(int attempt) {
        Duration wait = endpoint.retryBackoff().multipliedBy(1L << Math.min(attempt, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** {@code Retry-After} in seconds (the form rate limiters use), capped like the back-off; null when absent. */
    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .filter(value -> value.matches("\\d{1,6}"))
                .map(value -> Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_BACKOFF.toSeconds())))
                .orElse(null);
    }

    /** The provider's own error message ({@code {"error":{"message":…}}} or {@code {"error":"…"}}) or the raw body. */
    private static String detail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                text = error.asText();
            } else if (error.path("message").isTextual()) {
                text = error.path("message").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body
        }
        return text.length() > MAX_ERROR_DETAIL ? text.substring(0, MAX_ERROR_DETAIL) + "…" : text;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Reads a JSON array of numbers as a vector; {@link EmbeddingException} for anything else. */
    static float[] floats(JsonNode node, String what) {
        if (!(node instanceof ArrayNode array) || array.isEmpty()) {
            throw new EmbeddingException(what + " is not a non-empty array of numbers");
        }
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                throw new EmbeddingException(what + " holds a non-number at " + i);
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }

    @Override
    public void close() {
        client.close();
    }

    /** A failure worth another attempt. */
    private static final class Retryable extends RuntimeException {

        final int status;
        final transient Duration retryAfter;

        Retryable(int status, String detail, Duration retryAfter) {
            super(detail, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }
}
