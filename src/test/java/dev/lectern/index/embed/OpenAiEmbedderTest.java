package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lectern.index.embed.StubEmbeddingServer.Response;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {

    /** Answers like OpenAI, but with the entries in reverse order: vector of input i is [length, i + 1, 2]. */
    private final StubEmbeddingServer server = new StubEmbeddingServer(OpenAiEmbedderTest::reply);

    OpenAiEmbedderTest() throws Exception {}

    @AfterEach
    void stop() {
        server.close();
    }

    static Response reply(JsonNode request) {
        ObjectNode body = StubEmbeddingServer.JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        JsonNode input = request.path("input");
        for (int i = input.size() - 1; i >= 0; i--) {
            ObjectNode entry = data.addObject().put("object", "embedding").put("index", i);
            entry.putArray("embedding")
                    .add(input.get(i).asText().length())
                    .add(i + 1)
                    .add(2);
        }
        body.put("model", request.path("model").asText()).putObject("usage").put("prompt_tokens", 3);
        return Response.json(200, body.toString());
    }

    static void assertDirection(float[] actual, double... expected) {
        double norm =
                Math.sqrt(java.util.Arrays.stream(expected).map(x -> x * x).sum());
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i] / norm, within(1e-6));
        }
    }

    @Test
    void sendsTheOpenAiWireFormatInBatchesAndPutsVectorsBackInInputOrder() {
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(server.endpoint("text-embedding-3-small", "sk-test", 2, 0))) {
            assertThat(embedder.model()).isEqualTo("openai:text-embedding-3-small");
            assertThatThrownBy(embedder::dimension)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lectern.embedding.dimension");

            List<float[]> vectors =
                    embedder.embed(List.of("alpha", "beta", "gamma")).await().atMost(Duration.ofSeconds(30));

            assertDirection(vectors.get(0), 5, 1, 2);
            assertDirection(vectors.get(1), 4, 2, 2);
            assertDirection(vectors.get(2), 5, 1, 2);
            assertThat(embedder.dimension()).isEqualTo(3);
        }
        assertThat(server.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/embeddings");
            assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer sk-test");
            assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        });
        assertThat(server.requests())
                .extracting(request -> request.body().toString())
                .containsExactly(
                        "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\"]}",
                        "{\"model\":\"text-embedding-3-small\",\"input\":[\"gamma\"]}");
    }

    @Test
    void aBaseUrlThatEndsInV1IsNotDoubledAndNoKeyMeansNoAuthorization() {
        RemoteEndpoint endpoint = new RemoteEndpoint(
                URI.create(server.baseUrl() + "/v1/"),
                "m",
                Optional.empty(),
                OptionalInt.empty(),
                8,
                Duration.ofSeconds(5),
                0,
                Duration.ZERO);
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(endpoint)) {
            embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30));
        }
        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v1/embeddings");
            assertThat(request.headers().containsKey("Authorization")).isFalse();
        });
    }

    @Test
    void aRateLimitIsRetriedAfterABackOff() {
        server.then(new Response(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", Duration.ZERO, "0"));
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(server.endpoint("m", "k", 8, 3))) {
            List<float[]> vectors = embedder.embed(List.of("retry me")).await().atMost(Duration.ofSeconds(30));
            assertDirection(vectors.get(0), 8, 1, 2);
        }
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void serverErrorsAreRetriedUntilTheAttemptsRunOut() {
        for (int i = 0; i < 3; i++) {
            server.then(Response.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        }
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(server.endpoint("m", "k", 8, 2))) {
            assertThatThrownBy(() -> embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(
                            EmbeddingException.class,
                            e -> assertThat(e.status()).isEqualTo(503))
                    .hasMessageContaining("failed after 3 attempts")
                    .hasMessageContaining("HTTP 503: overloaded");
        }
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aClientErrorFailsAtOnceWithTheProvidersMessage() {
        server.then(Response.json(
                400,
                "{\"error\":{\"message\":\"The model `nope` does not exist\",\"type\":\"invalid_request_error\"}}"));
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(server.endpoint("nope", "k", 8, 3))) {
            assertThatThrownBy(() -> embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(
                            EmbeddingException.class,
                            e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("The model `nope` does not exist")
                    .hasMessageNotContaining("Bearer");
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aSlowServerTimesOut() {
        server.then(new Response(200, "{}", Duration.ofMillis(700), null));
        RemoteEndpoint endpoint = new RemoteEndpoint(
                server.baseUrl(),
                "m",
                Optional.empty(),
                OptionalInt.empty(),
                8,
                Duration.ofMillis(200),
                0,
                Duration.ZERO);
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(endpoint)) {
            assertThatThrownBy(() -> embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("failed after 1 attempts")
                    .hasCauseInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void aConfiguredDimensionIsEnforced() {
        RemoteEndpoint endpoint = new RemoteEndpoint(
                server.baseUrl(), "m", Optional.empty(), OptionalInt.of(4), 8, Duration.ofSeconds(5), 0, Duration.ZERO);
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(endpoint)) {
            assertThat(embedder.dimension()).isEqualTo(4);
            assertThatThrownBy(() -> embedder.embed(List.of("x")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("3 dimensions, expected 4");
        }
    }

    @Test
    void theDimensionIsResolvedWithOneProbe() {
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(server.endpoint("m", null, 8, 0))) {
            assertThat(embedder.resolveDimension().await().atMost(Duration.ofSeconds(30)))
                    .isEqualTo(3);
            assertThat(embedder.resolveDimension().await().atMost(Duration.ofSeconds(30)))
                    .isEqualTo(3);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void malformedAnswersAreErrors() {
        server.then(
                Response.json(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2]},{\"index\":0,\"embedding\":[3,4]}]}"));
        server.then(Response.json(200, "{\"data\":[]}"));
        server.then(Response.json(200, "not json"));
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(server.endpoint("m", null, 8, 3))) {
            assertThatThrownBy(() -> embedder.embed(List.of("a", "b")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("duplicate");
            assertThatThrownBy(() -> embedder.embed(List.of("a")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("0 vectors for 1 inputs");
            assertThatThrownBy(() -> embedder.embed(List.of("a")).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("invalid JSON");
        }
        assertThat(server.requests()).hasSize(3);
    }
}
