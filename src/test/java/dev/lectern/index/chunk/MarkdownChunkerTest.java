package dev.lectern.index.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.platform.Hashes;
import dev.lectern.platform.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tricky Markdown, counted in whitespace-separated words so that sizes are easy to reason about. */
class MarkdownChunkerTest {

    private static final TokenCounter WORDS = Words::count;

    private static List<Chunk> chunk(int target, int overlap, String markdown) {
        return new MarkdownChunker(WORDS, target, overlap)
                .chunk("Chapter", List.of(new SectionSource(1, "Section", "section", markdown)));
    }

    /** Ten distinct words ending with a full stop: {@code p3w0 … p3w9.} */
    private static String sentence(String prefix) {
        return IntStream.range(0, 10).mapToObj(i -> prefix + "w" + i).collect(Collectors.joining(" ")) + ".";
    }

    private static List<String> texts(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::text).toList();
    }

    // --- headings --------------------------------------------------------------------------------------------

    @Test
    void subHeadingsStartNewChunksAndExtendTheHeadingPath() {
        List<Chunk> chunks = chunk(256, 0, """
                Intro text.

                ### Install

                Install text.

                #### On Linux

                Linux text.

                ### Run

                Run text.
                """);

        assertThat(chunks)
                .extracting(Chunk::headingPath)
                .containsExactly(
                        List.of("Chapter", "Section"),
                        List.of("Chapter", "Section", "Install"),
                        List.of("Chapter", "Section", "Install", "On Linux"),
                        List.of("Chapter", "Section", "Run"));
        assertThat(texts(chunks)).containsExactly("Intro text.", "Install text.", "Linux text.", "Run text.");
    }

    @Test
    void aHeadingWithoutTextKeepsTheParentPath() {
        List<Chunk> chunks = chunk(256, 0, """
                ### Setup {#setup}

                Setup text.

                ####

                Deeper text without a title.

                ###

                Back at section level.
                """);

        assertThat(chunks)
                .extracting(Chunk::headingPath)
                .containsExactly(
                        List.of("Chapter", "Section", "Setup"),
                        List.of("Chapter", "Section", "Setup"),
                        List.of("Chapter", "Section"));
        assertThat(texts(chunks))
                .containsExactly("Setup text.", "Deeper text without a title.", "Back at section level.");
    }

    @Test
    void headingsWithNothingUnderThemAndEmptySectionsGiveNoChunks() {
        List<Chunk> chunks = new MarkdownChunker(WORDS, 256, 38)
                .chunk(
                        "Chapter",
                        List.of(
                                new SectionSource(1, "Empty", "empty", ""),
                                new SectionSource(2, "Blank", "blank", "  \n\n\t\n"),
                                new SectionSource(3, "Only headings", "only-headings", "### A\n\n### B\n\n#### C\n"),
                                new SectionSource(4, "Only a rule", "only-a-rule", "---\n\n***\n"),
                                new SectionSource(5, "Real", "real", "Some text.")));

        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.ordinal()).isZero();
            assertThat(c.sectionNumber()).isEqualTo(5);
            assertThat(c.anchor()).isEqualTo("real");
            assertThat(c.headingPath()).containsExactly("Chapter", "Real");
        });
    }

    @Test
    void hashLinesInsideACodeBlockAreNotHeadings() {
        String code = """
                ```bash
                # install the workspace
                colcon build
                ## not a heading either
                ```""";
        List<Chunk> chunks = chunk(256, 0, "Build it:\n\n" + code + "\n\nDone.\n");

        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.headingPath()).containsExactly("Chapter", "Section");
            assertThat(c.text()).isEqualTo("Build it:\n\n" + code + "\n\nDone.");
        });
    }

    // --- packing ---------------------------------------------------------------------------------------------

    @Test
    void wholeParagraphsArePackedUpToTheTarget() {
        String markdown = IntStream.range(0, 5).mapToObj(i -> sentence("p" + i)).collect(Collectors.joining("\n\n"));
        List<Chunk> chunks = chunk(25, 0, markdown);

        assertThat(texts(chunks))
                .containsExactly(
                        sentence("p0") + "\n\n" + sentence("p1"),
                        sentence("p2") + "\n\n" + sentence("p3"),
                        sentence("p4"));
        assertThat(chunks).extracting(Chunk::tokenCount).containsExactly(20, 20, 10);
        assertThat(chunks).extracting(Chunk::ordinal).containsExactly(0, 1, 2);
    }

    @Test
    void aCodeBlockLargerThanTheTargetIsOneChunkByteForByte() {
        String code = "```python\n"
                + IntStream.range(0, 20)
                        .mapToObj(i -> "x" + i + " = compute(" + i + ")  # step " + i)
                        .collect(Collectors.joining("\n"))
                + "\n```";
        List<Chunk> chunks = chunk(40, 0, "Before the code.\n\n" + code + "\n\nAfter the code.");

        assertThat(texts(chunks)).containsExactly("Before the code.", code, "After the code.");
        assertThat(chunks.get(1).tokenCount()).isGreaterThan(40).isLessThanOrEqualTo(4 * 40);
    }

    @Test
    void anEnormousCodeBlockIsCutBetweenLinesAndEveryPieceIsFenced() {
        List<String> lines = IntStream.range(0, 100)
                .mapToObj(i -> "print(" + i + ")  # line " + i)
                .toList();
        String code = "~~~~ python title=\"demo.py\"\n" + String.join("\n", lines) + "\n~~~~";
        List<Chunk> chunks = chunk(20, 0, code);

        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> {
            assertThat(c.text()).startsWith("~~~~ python title=\"demo.py\"\n").endsWith("\n~~~~");
            assertThat(c.tokenCount()).isLessThanOrEqualTo(20);
        });
        List<String> rejoined = chunks.stream()
                .flatMap(c -> c.text().lines().skip(1).limit(c.text().lines().count() - 2))
                .toList();
        assertThat(rejoined).isEqualTo(lines);
    }

    @Test
    void anUnclosedFenceIsClosedWhenCut() {
        String code = "```\n"
                + IntStream.range(0, 100).mapToObj(i -> "a" + i + " b c").collect(Collectors.joining("\n"));
        List<Chunk> chunks = chunk(20, 0, code);

        assertThat(chunks)
                .hasSizeGreaterThan(1)
                .allSatisfy(c -> assertThat(c.text()).startsWith("```\n").endsWith("\n```"));
    }

    @Test
    void aTableIsNeverCutUnlessEnormousAndThenRepeatsItsHeader() {
        String header = "| Type | Use |\n|---|---|";
        String small = header + "\n| `String` | text |\n| `Twist` | velocity |";
        assertThat(texts(chunk(12, 0, "Types:\n\n" + small + "\n\nEnd."))).containsExactly("Types:", small, "End.");

        List<String> rows = IntStream.range(0, 40)
                .mapToObj(i -> "| r" + i + " | v" + i + " |")
                .toList();
        List<Chunk> chunks = chunk(20, 0, header + "\n" + String.join("\n", rows));
        assertThat(chunks).hasSizeGreaterThan(4).allSatisfy(c -> {
            assertThat(c.text()).startsWith(header + "\n");
            assertThat(c.tokenCount()).isLessThanOrEqualTo(20);
        });
        assertThat(chunks.stream().flatMap(c -> c.text().lines().skip(2)).toList())
                .isEqualTo(rows);
    }

    @Test
    void listItemsStayWholeWithTheirNestedListsAndCode() {
        String first = """
                - Install ROS 2:
                  1. add the apt source
                  2. install `ros-jazzy-desktop`
                     - or `ros-jazzy-ros-base` on a robot
                  ```bash
                  sudo apt install ros-jazzy-desktop
                  ```""";
        String second = "- Source the setup file in every new terminal.";
        String third = "- Check with `ros2 doctor`.";
        List<Chunk> chunks = chunk(30, 0, first + "\n" + second + "\n" + third + "\n");

        assertThat(texts(chunks)).containsExactly(first, second + "\n" + third);
    }

    @Test
    void aLooseListKeepsItsBlankLinesAndATightOneDoesNot() {
        String loose = "- a1 a2 a3 a4 a5\n\n- b1 b2 b3 b4 b5\n\n- c1 c2 c3 c4 c5";
        String tight = "1. one\n2. two\n3. three";

        assertThat(texts(chunk(256, 0, loose))).containsExactly(loose);
        assertThat(texts(chunk(256, 0, tight))).containsExactly(tight);
        assertThat(texts(chunk(8, 0, loose)))
                .containsExactly("- a1 a2 a3 a4 a5", "- b1 b2 b3 b4 b5", "- c1 c2 c3 c4 c5");
    }

    @Test
    void aParagraphLargerThanTheTargetIsCutBetweenSentences() {
        String paragraph =
                IntStream.range(0, 6).mapToObj(i -> sentence("s" + i)).collect(Collectors.joining(" "));
        List<Chunk> chunks = chunk(25, 0, paragraph);

        assertThat(texts(chunks))
                .containsExactly(
                        sentence("s0") + " " + sentence("s1"),
                        sentence("s2") + " " + sentence("s3"),
                        sentence("s4") + " " + sentence("s5"));
    }

    @Test
    void aSentenceLargerThanTheTargetIsCutBetweenWords() {
        String runOn = IntStream.range(0, 50).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        List<Chunk> chunks = chunk(20, 0, runOn);

        assertThat(chunks).extracting(Chunk::tokenCount).containsExactly(20, 20, 10);
        assertThat(String.join(" ", texts(chunks))).isEqualTo(runOn);
    }

    @Test
    void aFullStopInsideInlineCodeIsNotASentenceEnd() {
        String paragraph = "Call `node. spin()` w1 w2 w3 w4 w5 w6. Then w7 w8 w9 w10 w11 w12 w13.";
        List<Chunk> chunks = chunk(10, 0, paragraph);

        assertThat(texts(chunks))
                .containsExactly("Call `node. spin()` w1 w2 w3 w4 w5 w6.", "Then w7 w8 w9 w10 w11 w12 w13.");
    }

    // --- overlap ---------------------------------------------------------------------------------------------

    @Test
    void aChunkStartsWithTheTrailingSentencesOfThePreviousOne() {
        String p0 = sentence("a") + " " + sentence("b");
        String p1 = sentence("c") + " " + sentence("d");
        List<Chunk> chunks = chunk(30, 12, p0 + "\n\n" + p1);

        assertThat(texts(chunks)).containsExactly(p0, sentence("b") + "\n\n" + p1);
    }

    @Test
    void wholeTrailingBlocksOverlapWhenTheyFit() {
        String item = "- w1 w2 w3";
        String p = sentence("x") + " " + sentence("y");
        List<Chunk> chunks =
                chunk(25, 5, p + "\n\n" + item + "\n\n" + p.replace("x", "z").replace("y", "v"));

        assertThat(chunks.get(1).text()).startsWith(item + "\n\n");
    }

    @Test
    void overlapNeverCrossesHeadingsOrSections() {
        String body = sentence("a") + " " + sentence("b") + "\n\n### Next\n\n" + sentence("c") + " " + sentence("d");
        List<Chunk> chunks = new MarkdownChunker(WORDS, 25, 12)
                .chunk(
                        "Chapter",
                        List.of(
                                new SectionSource(1, "One", "one", body),
                                new SectionSource(2, "Two", "two", sentence("e"))));

        assertThat(texts(chunks))
                .containsExactly(
                        sentence("a") + " " + sentence("b"), sentence("c") + " " + sentence("d"), sentence("e"));
    }

    @Test
    void anOversizedChunkTakesNoOverlap() {
        String table = "| a | b |\n|---|---|\n" + "| c d e f g | h i j k l |\n".repeat(4);
        List<Chunk> chunks = chunk(20, 8, sentence("p") + "\n\n" + table.strip() + "\n\n" + sentence("q"));

        assertThat(texts(chunks)).containsExactly(sentence("p"), table.strip(), sentence("q"));
    }

    // --- code and the prose that introduces it ---------------------------------------------------------------

    @Test
    void aCodeBlockOfItsOwnStartsWithTheSentencesThatIntroduceIt() {
        String code = "```python\n" + "limits = {'a': 1, 'b': 2, 'c': 3}\n".repeat(6) + "```";
        String intro = sentence("a") + " The speed limits live here:";
        List<Chunk> chunks = chunk(30, 8, intro + "\n\n" + code + "\n\n" + sentence("q"));

        assertThat(texts(chunks)).containsExactly(intro, "The speed limits live here:\n\n" + code, sentence("q"));
    }

    @Test
    void aLongLastSentenceStillLeadsInWithinTwiceTheOverlap() {
        String code = "```\n" + "a b c d e f g h i j\n".repeat(4) + "```";
        List<Chunk> chunks = chunk(20, 8, sentence("p") + "\n\n" + code + "\n\n" + sentence("q"));

        assertThat(texts(chunks)).containsExactly(sentence("p"), sentence("p") + "\n\n" + code, sentence("q"));
        assertThat(texts(chunk(20, 4, sentence("p") + "\n\n" + code)))
                .as("a 10-word sentence is more than twice an overlap of 4")
                .containsExactly(sentence("p"), code);
    }

    @Test
    void codeAfterAListOrAnotherCodeBlockGetsNoLeadIn() {
        String code = "```\n" + "a b c d e f g h i j\n".repeat(4) + "```";
        List<Chunk> chunks = chunk(20, 8, "- item one two\n\n" + code + "\n\n" + code);

        assertThat(texts(chunks)).containsExactly("- item one two", code, code);
    }

    @Test
    void codeThatFitsBesideItsIntroductionSharesItsChunk() {
        String code = "```\nx = 1\n```";
        assertThat(texts(chunk(30, 8, "Set x:\n\n" + code))).containsExactly("Set x:\n\n" + code);
    }

    // --- front matter, MDX, HTML, non-ASCII ------------------------------------------------------------------------

    @Test
    void frontMatterRemnantsRulesAndCommentsAreDropped() {
        List<Chunk> chunks = chunk(256, 0, """
                ---
                sidebar_label: Leftover
                ---

                First paragraph.

                <!-- truncate -->

                ***

                [ros]: https://docs.ros.org

                Second paragraph with a [link][ros].
                """);

        assertThat(texts(chunks)).containsExactly("First paragraph.\n\nSecond paragraph with a [link][ros].");
    }

    @Test
    void mdxSyntaxLinesAreDroppedButTheirContentStays() {
        String code = """
                ```js
                import Tabs from '@theme/Tabs';
                <Tabs>
                ```""";
        List<Chunk> chunks = chunk(256, 0, """
                import Tabs from '@theme/Tabs';
                import TabItem from "@theme/TabItem";
                export const toc = [];

                {/* a comment for authors */}

                <Tabs groupId="os">
                <TabItem value="linux" label="Linux">
                Use apt on Linux.
                </TabItem>
                <TabItem value="mac" label="macOS">

                """ + code + """

                </TabItem>
                </Tabs>

                <Admonition type="tip" title="Tip" />

                <details>
                <summary>More</summary>
                Plain HTML stays.
                </details>
                """);

        assertThat(chunks)
                .singleElement()
                .satisfies(c -> assertThat(c.text())
                        .isEqualTo("Use apt on Linux.\n\n" + code
                                + "\n\n<details>\n<summary>More</summary>\nPlain HTML stays.\n</details>"));
    }

    @Test
    void codeRightUnderAComponentTagKeepsItsMdxLookingLines() {
        String code = """
                ```jsx
                import Tabs from '@theme/Tabs';
                export const Demo = () => <Tabs />;
                ```""";
        List<Chunk> chunks = chunk(256, 0, "<Tabs>\n<TabItem value=\"js\">\n" + code + "\n</TabItem>\n</Tabs>\n");

        assertThat(texts(chunks)).containsExactly(code);
    }

    @Test
    void urduTextIsCutAtItsFullStops() {
        String s1 = "روبوٹ آپریٹنگ سسٹم ایک مڈل ویئر ہے جو روبوٹ کے پروگراموں کو آپس میں جوڑتا ہے۔";
        String s2 = "ہر نوڈ ایک چھوٹا پروگرام ہے جو ایک ہی کام کرتا ہے اور پیغامات بھیجتا ہے۔";
        String s3 = "ٹاپک ایک نام والا چینل ہے جس پر ایک ہی قسم کے پیغامات چلتے ہیں؟";
        List<Chunk> chunks = new MarkdownChunker(WORDS, 20, 0)
                .chunk(
                        "روبوٹکس",
                        List.of(new SectionSource(1, "تعارف", "تعارف", "### نوڈز\n\n" + s1 + " " + s2 + " " + s3)));

        assertThat(texts(chunks)).containsExactly(s1, s2, s3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.headingPath()).containsExactly("روبوٹکس", "تعارف", "نوڈز"));
    }

    @Test
    void windowsLineEndingsAndAByteOrderMarkAreNormalised() {
        assertThat(texts(chunk(256, 0, "\uFEFFLine one\r\nline two\r\n\r\nNext.")))
                .containsExactly("Line one\nline two\n\nNext.");
    }

    // --- identity --------------------------------------------------------------------------------------------

    @Test
    void theContentHashCoversThePathAndTheText() {
        Chunk chunk = chunk(256, 0, "### Topic\n\nSome text.").get(0);

        assertThat(chunk.contentHash())
                .isEqualTo(Hashes.sha256("Chapter\nSection\nTopic\nSome text."))
                .isEqualTo(MarkdownChunker.contentHash(chunk.headingPath(), chunk.text()))
                .isNotEqualTo(chunk(256, 0, "### Other\n\nSome text.").get(0).contentHash())
                .hasSize(64);
    }

    @Test
    void ordinalsRunAcrossTheWholeChapter() {
        List<SectionSource> sections = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sections.add(new SectionSource(i, "S" + i, "s" + i, sentence("a" + i) + "\n\n" + sentence("b" + i)));
        }
        List<Chunk> chunks = new MarkdownChunker(WORDS, 12, 0).chunk("Chapter", sections);

        assertThat(chunks).extracting(Chunk::ordinal).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(chunks).extracting(Chunk::sectionNumber).containsExactly(1, 1, 2, 2, 3, 3);
    }

    @Test
    void nonsensicalSizesAreRefused() {
        assertThatThrownBy(() -> new MarkdownChunker(WORDS, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarkdownChunker(WORDS, 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarkdownChunker(WORDS, 100, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
