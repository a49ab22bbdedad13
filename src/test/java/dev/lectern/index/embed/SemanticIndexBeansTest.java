package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.index.chunk.MarkdownChunker;
import dev.lectern.index.chunk.SectionSource;
import dev.lectern.index.chunk.TokenCounter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The beans as the application wires them. Embedding here also proves that the native libraries load inside the
 * Quarkus class loader although plain unit tests in the same JVM loaded them before (they are parent first).
 */
@QuarkusTest
class SemanticIndexBeansTest {

    @Inject
    Embedder embedder;

    @Inject
    MarkdownChunker chunker;

    @Inject
    TokenCounter tokens;

    @Test
    void theDefaultEmbedderIsTheInProcessModel() {
        assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2");
        List<float[]> vectors = embedder.embed(List.of("A node is a participant in the ROS 2 graph."))
                .await()
                .atMost(Duration.ofMinutes(2));
        assertThat(vectors).singleElement().satisfies(v -> assertThat(v).hasSize(embedder.dimension()));
        assertThat(embedder.resolveDimension().await().indefinitely()).isEqualTo(384);
    }

    @Test
    void theChunkerUsesTheConfiguredSizesAndTheModelsTokenizer() {
        assertThat(chunker.targetTokens()).isEqualTo(256);
        assertThat(chunker.overlapTokens()).isEqualTo(38);
        var chunks = chunker.chunk("Nodes", List.of(new SectionSource(1, "Intro", "intro", "Nodes talk over topics.")));
        assertThat(chunks)
                .singleElement()
                .satisfies(c -> assertThat(c.tokenCount())
                        .isEqualTo(tokens.count("Nodes talk over topics."))
                        .isEqualTo(5));
    }
}
