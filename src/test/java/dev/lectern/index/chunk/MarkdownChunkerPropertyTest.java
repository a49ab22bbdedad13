package dev.lectern.index.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.content.MarkdownChapterParser;
import dev.lectern.catalogue.content.ParsedChapter;
import dev.lectern.index.embed.MiniLmTokenCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Random chapters of mixed Markdown (prose, long and enormous code, tables, nested lists, quotes, sub-headings, Urdu
 * words), chunked with the model's own tokenizer at several sizes. Every generated word is unique, so words show
 * where each chunk's text came from.
 */
class MarkdownChunkerPropertyTest {

    private static final TokenCounter TOKENS = new MiniLmTokenCounter();
    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}]*");
    /** Words that may legitimately appear more than once: fence info strings and table headers (repeated by design). */
    private static final Pattern REPEATABLE = Pattern.compile("Col\\d+|python|bash");

    private static final Parser PARSER =
            Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private static final int[][] SIZES = {
        {32, 0}, {64, 10}, {MarkdownChunker.DEFAULT_TARGET_TOKENS, MarkdownChunker.DEFAULT_OVERLAP_TOKENS}
    };

    @Test
    void chunksStayWithinTheTargetCoverEverySectionAndAreDeterministic() {
        for (int seed = 0; seed < 25; seed++) {
            Chapter chapter = new Generator(new Random(seed)).chapter();
            for (int[] size : SIZES) {
                MarkdownChunker chunker = new MarkdownChunker(TOKENS, size[0], size[1]);
                List<Chunk> chunks = chunker.chunk("Chapter " + seed, chapter.sections());
                String where = "seed " + seed + ", target " + size[0] + ", overlap " + size[1];

                assertThat(chunker.chunk("Chapter " + seed, chapter.sections()))
                        .as(where)
                        .isEqualTo(chunks);
                assertThat(chunks)
                        .as(where)
                        .extracting(Chunk::ordinal)
                        .isEqualTo(IntStream.range(0, chunks.size()).boxed().toList());
                for (Chunk chunk : chunks) {
                    assertThat(chunk.text()).as(where).isNotBlank();
                    assertThat(chunk.tokenCount()).as(where).isEqualTo(TOKENS.count(chunk.text()));
                    assertThat(chunk.headingPath().subList(0, 2))
                            .as(where)
                            .containsExactly("Chapter " + seed, "Section " + chunk.sectionNumber());
                    if (chunk.tokenCount() > size[0]) {
                        assertThat(isSingleAtomicBlock(chunk.text()) || isLeadInAndCode(chunk.text(), size[1]))
                                .as(where + ": oversized chunk\n" + chunk.text())
                                .isTrue();
                    }
                }
                for (SectionSource section : chapter.sections()) {
                    List<Chunk> ofSection = chunks.stream()
                            .filter(c -> c.sectionNumber() == section.number())
                            .toList();
                    assertThat(wordsWithoutOverlap(ofSection))
                            .as(where + ", section " + section.number())
                            .isEqualTo(words(chapter.content().get(section.number() - 1)));
                }
            }
        }
    }

    @Test
    void theSampleBookIsChunkedWithinTheDefaultTargetAndCoveredCompletely() throws Exception {
        MarkdownChapterParser parser = new MarkdownChapterParser();
        MarkdownChunker chunker = new MarkdownChunker(
                TOKENS, MarkdownChunker.DEFAULT_TARGET_TOKENS, MarkdownChunker.DEFAULT_OVERLAP_TOKENS);
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src/main/resources/sample-book/docs"))) {
            files = list.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            ParsedChapter chapter = parser.parse(Files.readString(file));
            List<SectionSource> sections = chapter.sections().stream()
                    .map(section ->
                            new SectionSource(section.number(), section.title(), section.anchor(), section.body()))
                    .toList();
            List<Chunk> chunks = chunker.chunk(chapter.title(), sections);
            for (Chunk chunk : chunks) {
                assertThat(chunk.tokenCount() <= MarkdownChunker.DEFAULT_TARGET_TOKENS
                                || isSingleAtomicBlock(chunk.text())
                                || isLeadInAndCode(chunk.text(), MarkdownChunker.DEFAULT_OVERLAP_TOKENS))
                        .as(file + " chunk " + chunk.ordinal())
                        .isTrue();
            }
            for (SectionSource section : sections) {
                List<Chunk> ofSection = chunks.stream()
                        .filter(c -> c.sectionNumber() == section.number())
                        .toList();
                assertThat(ofSection).as(file + " " + section.title()).isNotEmpty();
                assertThat(wordsWithoutOverlap(ofSection))
                        .as(file + " " + section.title())
                        .isEqualTo(words(withoutHeadingLines(section.markdown())));
            }
        }
    }

    private static String withoutHeadingLines(String markdown) {
        List<String> lines = new ArrayList<>(List.of(markdown.split("\n", -1)));
        Node document = Parser.builder()
                .includeSourceSpans(IncludeSourceSpans.BLOCKS)
                .build()
                .parse(markdown);
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof Heading) {
                node.getSourceSpans().forEach(span -> lines.set(span.getLineIndex(), ""));
            }
        }
        return String.join("\n", lines);
    }

    /** A code block, table, quote, HTML block or list with one item: the units that may exceed the target alone. */
    private static boolean isSingleAtomicBlock(String text) {
        Node document = PARSER.parse(text);
        Node block = document.getFirstChild();
        if (block == null || block.getNext() != null) {
            return false;
        }
        if (block instanceof ListBlock) {
            return block.getFirstChild() == block.getLastChild();
        }
        return block instanceof FencedCodeBlock
                || block instanceof IndentedCodeBlock
                || block instanceof TableBlock
                || block instanceof BlockQuote
                || block instanceof HtmlBlock;
    }

    /** A code block and, before it, the sentences that introduce it: at most twice the overlap. */
    private static boolean isLeadInAndCode(String text, int overlap) {
        Node document = PARSER.parse(text);
        Node first = document.getFirstChild();
        if (!(first instanceof Paragraph)
                || first.getNext() == null
                || first.getNext().getNext() != null) {
            return false;
        }
        int blank = text.indexOf("\n\n");
        return (first.getNext() instanceof FencedCodeBlock || first.getNext() instanceof IndentedCodeBlock)
                && blank > 0
                && TOKENS.count(text.substring(0, blank)) <= 2 * overlap;
    }

    /** The words of a section's chunks in order, each chunk's leading overlap with the chunk before removed. */
    private static List<String> wordsWithoutOverlap(List<Chunk> chunks) {
        List<String> words = new ArrayList<>();
        Chunk previous = null;
        for (Chunk chunk : chunks) {
            List<String> current = words(chunk.text());
            if (previous != null && previous.headingPath().equals(chunk.headingPath())) {
                current = current.subList(overlap(words(previous.text()), current), current.size());
            }
            words.addAll(current);
            previous = chunk;
        }
        return words;
    }

    /** Length of the longest prefix of {@code current} that is a suffix of {@code previous}. */
    private static int overlap(List<String> previous, List<String> current) {
        for (int k = Math.min(previous.size(), current.size()); k > 0; k--) {
            if (previous.subList(previous.size() - k, previous.size()).equals(current.subList(0, k))) {
                return k;
            }
        }
        return 0;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                continue;
            }
            Matcher m = WORD.matcher(line);
            while (m.find()) {
                if (!REPEATABLE.matcher(m.group()).matches()) {
                    words.add(m.group());
                }
            }
        }
        return words;
    }

    /** Sections to chunk, and for each its text without heading lines (what the chunks must cover). */
    private record Chapter(List<SectionSource> sections, List<String> content) {}

    private static final class Generator {

        private static final String[] VOCABULARY = {
            "robot", "node", "topic", "frame", "sensor", "planner", "message", "launch", "param", "service", "action",
            "timer", "روبوٹ", "پیغام", "ٹاپک"
        };
        private final Random random;
        private int next;

        Generator(Random random) {
            this.random = random;
        }

        Chapter chapter() {
            List<SectionSource> sections = new ArrayList<>();
            List<String> content = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int number = 1; number <= count; number++) {
                List<String> blocks = new ArrayList<>();
                List<String> prose = new ArrayList<>();
                int size = random.nextInt(14);
                for (int i = 0; i < size; i++) {
                    String block = block();
                    blocks.add(block);
                    if (!block.startsWith("#")) {
                        prose.add(block);
                    }
                }
                sections.add(new SectionSource(
                        number, "Section " + number, "section-" + number, String.join("\n\n", blocks)));
                content.add(String.join("\n\n", prose));
            }
            return new Chapter(sections, content);
        }

        private String word() {
            return VOCABULARY[random.nextInt(VOCABULARY.length)] + (next++);
        }

        private String words(int count) {
            return IntStream.range(0, count).mapToObj(i -> word()).collect(Collectors.joining(" "));
        }

        private String sentence() {
            return words(3 + random.nextInt(22)) + List.of(".", "?", "!").get(random.nextInt(3));
        }

        private String block() {
            return switch (random.nextInt(10)) {
                case 0, 1, 2 -> paragraph(1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 8));
                case 3 -> fenced(1 + random.nextInt(random.nextInt(4) == 0 ? 150 : 25));
                case 4 ->
                    IntStream.range(0, 1 + random.nextInt(8))
                            .mapToObj(i -> "    " + words(1 + random.nextInt(6)))
                            .collect(Collectors.joining("\n"));
                case 5 -> table(1 + random.nextInt(random.nextInt(4) == 0 ? 60 : 10));
                case 6 -> list();
                case 7 ->
                    IntStream.range(0, 1 + random.nextInt(4))
                            .mapToObj(i -> "> " + sentence())
                            .collect(Collectors.joining("\n"));
                default ->
                    "#".repeat(3 + random.nextInt(3))
                            + (random.nextInt(6) == 0 ? "" : " " + words(1 + random.nextInt(3)));
            };
        }

        private String paragraph(int sentences) {
            return IntStream.range(0, sentences)
                    .mapToObj(i -> sentence())
                    .collect(Collectors.joining(random.nextBoolean() ? " " : "\n"));
        }

        private String fenced(int lines) {
            String fence = random.nextBoolean() ? "```" : "~~~";
            String body = IntStream.range(0, lines)
                    .mapToObj(i ->
                            random.nextInt(5) == 0 ? "# " + words(2) : word() + " = " + word() + "(" + word() + ")")
                    .collect(Collectors.joining("\n"));
            return fence + (random.nextBoolean() ? "python" : "bash") + "\n" + body + "\n" + fence;
        }

        private String table(int rows) {
            String header = "| Col" + (next++) + " | Col" + (next++) + " |\n|---|---|";
            return header
                    + IntStream.range(0, rows)
                            .mapToObj(i -> "\n| " + word() + " | " + words(1 + random.nextInt(3)) + " |")
                            .collect(Collectors.joining());
        }

        private String list() {
            boolean ordered = random.nextBoolean();
            String separator = random.nextBoolean() ? "\n" : "\n\n";
            return IntStream.range(0, 1 + random.nextInt(6))
                    .mapToObj(i -> {
                        String item = (ordered ? (i + 1) + ". " : "- ") + sentence();
                        String indent = ordered ? "   " : "  ";
                        if (random.nextInt(3) == 0) {
                            item += "\n" + indent + "- " + sentence() + "\n" + indent + "- " + sentence();
                        }
                        if (random.nextInt(5) == 0) {
                            item += "\n" + indent + "```bash\n" + indent + word() + " " + word() + "\n" + indent
                                    + "```";
                        }
                        return item;
                    })
                    .collect(Collectors.joining(separator));
        }
    }

    @Test
    void theGeneratorProducesEveryKindOfBlock() {
        String all = IntStream.range(0, 25)
                .mapToObj(seed -> new Generator(new Random(seed)).chapter().sections())
                .flatMap(List::stream)
                .map(SectionSource::markdown)
                .filter(Objects::nonNull)
                .collect(Collectors.joining("\n"));
        assertThat(all).contains("```python", "~~~bash", "|---|---|", "\n- ", "1. ", "> ", "\n    ", "### ", "روبوٹ");
    }
}
