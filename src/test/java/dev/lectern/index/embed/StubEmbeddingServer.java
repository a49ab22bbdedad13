package dev.lectern.index.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP server standing in for an embedding provider: it records every request and answers from a queue of
 * scripted responses, falling back to a responder computed from the request.
 */
final class StubEmbeddingServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String path, Headers headers, JsonNode body) {}

    record Response(int status, String body, Duration delay, String retryAfter) {

        static Response json(int status, String body) {
            return new Response(status, body, Duration.ZERO, null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Response> scripted = new ConcurrentLinkedQueue<>();
    private final Function<JsonNode, Response> responder;

    StubEmbeddingServer(Function<JsonNode, Response> responder) throws IOException {
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    RemoteEndpoint endpoint(String model, String apiKey, int batchSize, int maxRetries) {
        return new RemoteEndpoint(
                baseUrl(),
                model,
                Optional.ofNullable(apiKey),
                OptionalInt.empty(),
                batchSize,
                Duration.ofSeconds(5),
                maxRetries,
                Duration.ofMillis(10));
    }

    void then(Response response) {
        scripted.add(response);
    }

    List<Request> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(),
                    body));
            Response response = scripted.isEmpty() ? responder.apply(body) : scripted.poll();
            if (!response.delay().isZero()) {
                Thread.sleep(response.delay().toMillis());
            }
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (response.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", response.retryAfter());
            }
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
