package dev.lectern.xapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * POSTs statement batches to the Learning Record Store's {@code /statements} resource (xAPI 1.0.3, Basic auth), through
 * the JDK's non-blocking {@link HttpClient} as the remote embedder does: no client library is needed for one POST.
 */
@ApplicationScoped
class LrsClient {

    /** The LRS's answer: its status and (the start of) its body, for the log. */
    record Answer(int status, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<URI> statements;
    private final Optional<String> authorization;
    private final XapiConfig config;
    private final HttpClient client;

    LrsClient(XapiConfig config) {
        this.config = config;
        this.statements = config.endpoint()
                .filter(e -> !e.isBlank())
                .map(e -> URI.create((e.endsWith("/") ? e : e + "/") + "statements"));
        this.authorization = config.username()
                .map(user -> "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + config.password().orElse("")).getBytes(StandardCharsets.UTF_8)));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .build();
    }

    /** Whether an LRS is configured: without one, statements stay queued. */
    boolean configured() {
        return statements.isPresent();
    }

    /** Sends the batch; fails on a connection error or timeout (the caller retries later). */
    Uni<Answer> post(ArrayNode batch) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(batch);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(statements.orElseThrow())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("X-Experience-API-Version", "1.0.3")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return Uni.createFrom()
                .completionStage(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()))
                .map(response -> new Answer(response.statusCode(), clip(response.body())));
    }

    private static String clip(String body) {
        return body == null ? "" : body.length() > 500 ? body.substring(0, 500) : body;
    }
}
