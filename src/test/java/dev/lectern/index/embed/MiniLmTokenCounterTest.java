package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniLmTokenCounterTest {

    private final MiniLmTokenCounter counter = new MiniLmTokenCounter();

    @Test
    void countsWordPiecesWithoutSpecialTokens() {
        assertThat(counter.count("")).isZero();
        assertThat(counter.count("Hello, world!")).isEqualTo(4); // hello , world !
        assertThat(counter.count("unaffable")).isEqualTo(3); // one word, three word pieces
        assertThat(counter.count("ROS 2 nodes")).isEqualTo(counter.count("ros 2 nodes")); // uncased
    }

    @Test
    void countsLongTextsInFull() {
        String text = "The robot publishes its odometry. ".repeat(200);
        assertThat(counter.count(text)).isEqualTo(200 * counter.count("The robot publishes its odometry."));
    }

    @Test
    void usesTheModelsOwnTokenizer() throws Exception {
        assertThat(resource("bert-tokenizer.json")).isEqualTo(resource(MiniLm.TOKENIZER_RESOURCE));

        try (InputStream json = getClass().getClassLoader().getResourceAsStream(MiniLm.TOKENIZER_RESOURCE);
                HuggingFaceTokenizer model =
                        HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String text : List.of(
                    "A node is a participant in the ROS 2 graph.",
                    "```python\nself.pub = self.create_publisher(String, 'chatter', 10)\n```",
                    "| `geometry_msgs/msg/Twist` | Velocity commands |",
                    "روبوٹ آپریٹنگ سسٹم ایک مڈل ویئر ہے۔",
                    "Ünïcödé façade — naïve café 東京")) {
                assertThat(counter.count(text))
                        .as(text)
                        .isEqualTo(model.encode(text, false, false).getTokens().length);
            }
        }
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
