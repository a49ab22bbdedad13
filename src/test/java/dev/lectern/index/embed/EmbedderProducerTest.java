package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provider choice and configuration mapping, without starting the application. */
class EmbedderProducerTest {

    private static EmbeddingConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(EmbeddingConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(EmbeddingConfig.class);
    }

    @Test
    void theInProcessModelIsTheDefaultAndLocalIsAnAlias() throws Exception {
        for (Map<String, String> properties : java.util.List.of(
                Map.<String, String>of(),
                Map.of("lectern.embedding.provider", "local", "lectern.embedding.threads", "1"))) {
            try (var embedder = (OnnxEmbedder) EmbedderProducer.create(config(properties))) {
                assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2");
                assertThat(embedder.dimension()).isEqualTo(384);
            }
        }
    }

    @Test
    void openAiTakesItsEndpointModelKeyAndDimensionFromConfiguration() throws Exception {
        EmbeddingConfig config = config(Map.of(
                "lectern.embedding.provider", "openai",
                "lectern.embedding.base-url", "https://llm.example.org/v1",
                "lectern.embedding.model", "text-embedding-3-large",
                "lectern.embedding.api-key", "sk-x",
                "lectern.embedding.dimension", "3072",
                "lectern.embedding.timeout", "5s"));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(500));
        try (var embedder = (OpenAiEmbedder) EmbedderProducer.create(config)) {
            assertThat(embedder.model()).isEqualTo("openai:text-embedding-3-large");
            assertThat(embedder.dimension()).isEqualTo(3072);
        }
    }

    @Test
    void ollamaHasDefaultsForALocalServer() throws Exception {
        try (var embedder =
                (OllamaEmbedder) EmbedderProducer.create(config(Map.of("lectern.embedding.provider", "OLLAMA")))) {
            assertThat(embedder.model()).isEqualTo("ollama:nomic-embed-text");
            assertThatThrownBy(embedder::dimension).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anUnknownProviderIsAConfigurationError() {
        assertThatThrownBy(() -> config(Map.of("lectern.embedding.provider", "word2vec")))
                .hasMessageContaining("lectern.embedding.provider");
    }
}
