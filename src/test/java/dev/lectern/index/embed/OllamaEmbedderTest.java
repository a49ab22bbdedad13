package dev.lectern.index.embed;

import static dev.lectern.index.embed.OpenAiEmbedderTest.assertDirection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lectern.index.embed.StubEmbeddingServer.Response;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaEmbedderTest {

    /** Answers like Ollama's /api/embed: the vector of input i is [length, i + 1, 2]. */
    private final StubEmbeddingServer server = new StubEmbeddingServer(OllamaEmbedderTest::reply);

    OllamaEmbedderTest() throws Exception {}

    @AfterEach
    void stop() {
        server.close();
    }

    static Response reply(JsonNode request) {
        ObjectNode body = StubEmbeddingServer.JSON
                .createObjectNode()
                .put("model", request.path("model").asText());
        ArrayNode embeddings = body.putArray("embeddings");
        JsonNode input = request.path("input");
        for (int i = 0; i < input.size(); i++) {
            embeddings.addArray().add(input.get(i).asText().length()).add(i + 1).add(2);
        }
        return Response.json(200, body.toString());
    }

    @Test
    void sendsOllamasWireFormat() {
        try (OllamaEmbedder embedder = new OllamaEmbedder(server.endpoint("nomic-embed-text", null, 32, 0))) {
            assertThat(embedder.model()).isEqualTo("ollama:nomic-embed-text");
            List<float[]> vectors =
                    embedder.embed(List.of("alpha", "be")).await().atMost(Duration.ofSeconds(30));
            assertDirection(vectors.get(0), 5, 1, 2);
            assertDirection(vectors.get(1), 2, 2, 2);
            assertThat(embedder.dimension()).isEqualTo(3);
        }
        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/embed");
            assertThat(request.headers().containsKey("Authorization")).isFalse();
            assertThat(request.body().toString())
                    .isEqualTo("{\"model\":\"nomic-embed-text\",\"input\":[\"alpha\",\"be\"]}");
        });
    }

    @Test
    void aKeyIsSentAsABearerTokenForProxiedServers() {
        try (OllamaEmbedder embedder = new OllamaEmbedder(server.endpoint("m", "secret", 32, 0))) {
            embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30));
        }
        assertThat(server.requests().get(0).headers().getFirst("Authorization")).isEqualTo("Bearer secret");
    }

    @Test
    void anUnknownModelIsAClearError() {
        server.then(Response.json(404, "{\"error\":\"model \\\"nomic\\\" not found, try pulling it first\"}"));
        try (OllamaEmbedder embedder = new OllamaEmbedder(server.endpoint("nomic", null, 32, 3))) {
            assertThatThrownBy(() -> embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("HTTP 404: model \"nomic\" not found, try pulling it first");
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aServerErrorIsRetried() {
        server.then(Response.json(500, "{\"error\":\"llama runner process has terminated\"}"));
        try (OllamaEmbedder embedder = new OllamaEmbedder(server.endpoint("m", null, 32, 1))) {
            assertThat(embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30)))
                    .hasSize(1);
        }
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void theResultComesBackOnTheCallersEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (OllamaEmbedder embedder = new OllamaEmbedder(server.endpoint("m", null, 32, 0))) {
            CompletableFuture<Thread> caller = new CompletableFuture<>();
            CompletableFuture<Thread> receiver = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                caller.complete(Thread.currentThread());
                embedder.embed(List.of("x"))
                        .subscribe()
                        .with(vectors -> receiver.complete(Thread.currentThread()), receiver::completeExceptionally);
            });
            assertThat(receiver.get(30, TimeUnit.SECONDS)).isSameAs(caller.get());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }
}
