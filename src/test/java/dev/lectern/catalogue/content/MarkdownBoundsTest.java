package dev.lectern.catalogue.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Documents within the 5 MiB size limit whose structure would exhaust the parser's stack or heap (or a recursive walk
 * of its tree) are refused with a 400 on the body, quickly; ordinary large documents are not.
 */
class MarkdownBoundsTest {

    private static final String FRONT = "---\ntitle: Hostile\n---\n\n";
    /** Generous for a shared build machine; the refusals take milliseconds to a second or two. */
    private static final Duration QUICKLY = Duration.ofSeconds(30);

    private final MarkdownChapterParser parser = new MarkdownChapterParser();

    static Stream<Arguments> hostileDocuments() {
        return Stream.of(
                Arguments.of("50,000 nested quotes", ">".repeat(50_000) + " deep"),
                Arguments.of("5 million nested quotes", ">".repeat(5_000_000)),
                Arguments.of("nested quotes with spaces", "> ".repeat(50_000) + "deep"),
                Arguments.of("nested bullets on one line", "- ".repeat(50_000) + "deep"),
                Arguments.of("nested ordered items on one line", "1. ".repeat(50_000) + "deep"),
                Arguments.of("quotes and bullets mixed", "> - ".repeat(20_000) + "deep"),
                Arguments.of("lists nested by indentation", indentedList(200)),
                Arguments.of("emphasis nested 100 deep", "*x ".repeat(100) + "y" + " x*".repeat(100)),
                Arguments.of("emphasis nested 500,000 deep", "*_".repeat(500_000) + "a" + "_*".repeat(500_000)),
                Arguments.of("images nested 100 deep", "![".repeat(100) + "a" + "](/u)".repeat(100)),
                Arguments.of("images nested a million deep", "![".repeat(1_000_000) + "a" + "](/u)".repeat(1_000_000)),
                Arguments.of("a paragraph of 5 million brackets", "[".repeat(5_000_000)),
                Arguments.of("a paragraph of a million emphasis runs", "*a ".repeat(1_000_000)),
                Arguments.of("inline HTML nested 100,000 deep", "a <span>".repeat(100_000)),
                Arguments.of("a flat list of a million items", "- a\n".repeat(1_000_000)),
                Arguments.of("a million paragraphs", "a\n\n".repeat(1_000_000)),
                Arguments.of("a table of 1.3 million cells", table(1_300_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileDocuments")
    void isRefusedWithA400OnTheBody(String name, String body) {
        ProblemException refused = assertTimeoutPreemptively(
                QUICKLY, () -> assertThrows(ProblemException.class, () -> parser.parse(FRONT + body)));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).extracting(Problem.FieldError::field).containsExactly("body");
    }

    @Test
    void codeSamplesFullOfMarkupCostNothing() {
        String code = "```python\n" + "matrix[i][j] = a[*b] | c_d_e  # `x`\n".repeat(60_000) + "```\n";

        ParsedChapter chapter = assertTimeoutPreemptively(QUICKLY, () -> parser.parse(FRONT + "Intro.\n\n" + code));

        assertThat(chapter.body()).contains("matrix[i][j]");
    }

    @Test
    void deepHtmlBlocksAndLongReferenceChainsAreOrdinaryText() {
        String html = "<div>".repeat(200_000) + "\n\n";
        StringBuilder references = new StringBuilder("See [r0].\n\n");
        for (int i = 0; i < 100_000; i++) {
            references.append("[r").append(i).append("]: /r").append(i + 1).append('\n');
        }

        ParsedChapter chapter = assertTimeoutPreemptively(QUICKLY, () -> parser.parse(FRONT + html + references));

        assertThat(chapter.sections()).isNotEmpty();
    }

    @Test
    void nestingUpToTheBoundIsAccepted() {
        String quotes = "> ".repeat(20) + "twenty levels of quotes\n\n";
        String list = indentedList(20);
        String emphasis = "*x ".repeat(20) + "emphasis" + " x*".repeat(20) + "\n";

        ParsedChapter chapter = parser.parse(FRONT + quotes + list + "\n" + emphasis);

        assertThat(chapter.body()).contains("twenty levels of quotes");
    }

    private static String indentedList(int depth) {
        StringBuilder list = new StringBuilder();
        for (int d = 0; d < depth; d++) {
            list.append("  ".repeat(d)).append("- level ").append(d).append('\n');
        }
        return list.toString();
    }

    private static String table(int cells) {
        int columns = 1_000;
        StringBuilder table = new StringBuilder("|h".repeat(columns)).append("|\n");
        table.append("|-".repeat(columns)).append("|\n");
        for (int row = 0; row * columns < cells; row++) {
            table.append("|c".repeat(columns)).append("|\n");
        }
        return table.toString();
    }
}
