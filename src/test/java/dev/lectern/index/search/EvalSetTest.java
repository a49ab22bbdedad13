package dev.lectern.index.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.catalogue.content.MarkdownChapterParser;
import dev.lectern.catalogue.content.ParsedChapter;
import dev.lectern.catalogue.importing.DocsFolder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the retrieval evaluation set ({@code bench/eval/questions.json}, used by {@code bench/search-eval.py}):
 * every question must point at a section the service really stores for the sample book. Chapter slugs come from
 * the importer's rule ({@link DocsFolder}, fed the same zip the sample-book loader builds) and sections from
 * {@link MarkdownChapterParser}, so a change to either, or to the sample book, shows up here rather than as a
 * silent drop in recall.
 */
class EvalSetTest {

    private static final Path QUESTIONS = Path.of("bench/eval/questions.json");
    private static final String SAMPLE_BOOK = "sample-book/";
    private static final Pattern WORD = Pattern.compile("[a-z0-9_]+");
    /** A paraphrase may share short phrases ("on the command line") with its section, never five words in a row. */
    private static final int COPIED_RUN = 5;

    private record Question(
            String id,
            String style,
            String term,
            String book,
            String chapter,
            int section,
            String anchor,
            String question) {}

    private static String bookSlug;
    /** Chapter slug to parsed chapter, in sidebar order. */
    private static final Map<String, ParsedChapter> CHAPTERS = new LinkedHashMap<>();

    private static List<Question> questions;

    @BeforeAll
    static void parseSampleBookAndQuestions() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest;
        try (InputStream in = resource(SAMPLE_BOOK + "book.json")) {
            manifest = json.readTree(in);
        }
        bookSlug = manifest.path("book").path("slug").asText();
        List<String> files = new ArrayList<>();
        manifest.path("files").forEach(f -> files.add(f.asText()));
        MarkdownChapterParser parser = new MarkdownChapterParser();
        for (DocsFolder.DocFile doc : DocsFolder.read(new ByteArrayInputStream(zip(files)), 1000, 64L << 20)
                .docs()) {
            CHAPTERS.put(doc.slug(), parser.parse(doc.markdown()));
        }
        JsonNode set = json.readTree(QUESTIONS.toFile());
        questions = new ArrayList<>();
        for (JsonNode q : set.path("questions")) {
            questions.add(json.treeToValue(q, Question.class));
        }
    }

    @Test
    void everyQuestionPointsAtASectionTheParserProduces() {
        assertThat(CHAPTERS).hasSizeGreaterThanOrEqualTo(5);
        for (Question q : questions) {
            assertThat(q.book()).as("book of %s", q.id()).isEqualTo(bookSlug);
            assertThat(CHAPTERS).as("chapter of %s", q.id()).containsKey(q.chapter());
            ParsedChapter.Section section = section(q);
            assertThat(section)
                    .as("section %d of %s (%s)", q.section(), q.chapter(), q.id())
                    .isNotNull();
            assertThat(section.anchor()).as("anchor of %s", q.id()).isEqualTo(q.anchor());
            assertThat(q.question()).as("text of %s", q.id()).isNotBlank();
        }
    }

    @Test
    void theSetIsLargeEnoughAndCoversEveryChapterAndMostSections() {
        assertThat(questions).hasSizeGreaterThanOrEqualTo(40);
        assertThat(questions.stream().map(Question::id).distinct().count())
                .as("unique ids")
                .isEqualTo(questions.size());
        assertThat(questions.stream()
                        .map(q -> q.question().toLowerCase(Locale.ROOT))
                        .distinct()
                        .count())
                .as("no question asked twice")
                .isEqualTo(questions.size());

        Map<String, Long> perChapter =
                questions.stream().collect(Collectors.groupingBy(Question::chapter, Collectors.counting()));
        for (String chapter : CHAPTERS.keySet()) {
            assertThat(perChapter.getOrDefault(chapter, 0L))
                    .as("questions on chapter %s", chapter)
                    .isGreaterThanOrEqualTo(5);
        }
        int sections =
                CHAPTERS.values().stream().mapToInt(c -> c.sections().size()).sum();
        long covered = questions.stream()
                .map(q -> q.chapter() + "#" + q.section())
                .distinct()
                .count();
        assertThat(covered)
                .as("sections with at least one question, of %d", sections)
                .isGreaterThanOrEqualTo(Math.round(0.8 * sections));
    }

    @Test
    void keywordQuestionsNameATermOfTheirSectionAndParaphrasesDoNotCopyIt() {
        long keywords =
                questions.stream().filter(q -> q.style().equals("keyword")).count();
        assertThat(questions)
                .allSatisfy(q -> assertThat(q.style()).as("style of %s", q.id()).isIn("keyword", "paraphrase"));
        assertThat((double) keywords / questions.size())
                .as("share of keyword questions")
                .isBetween(0.25, 0.45);

        for (Question q : questions) {
            ParsedChapter.Section section = section(q);
            String text = (section.title() + "\n" + section.body()).toLowerCase(Locale.ROOT);
            if (q.style().equals("keyword")) {
                assertThat(q.term()).as("term of %s", q.id()).isNotBlank();
                assertThat(text)
                        .as("section text for %s", q.id())
                        .contains(q.term().toLowerCase(Locale.ROOT));
                assertThat(q.question().toLowerCase(Locale.ROOT))
                        .as("question %s", q.id())
                        .contains(q.term().toLowerCase(Locale.ROOT));
            } else {
                assertThat(q.term()).as("paraphrase %s names no term", q.id()).isNull();
                assertThat(sharedRuns(q.question(), text))
                        .as("%d-word runs of %s copied from its section", COPIED_RUN, q.id())
                        .isEmpty();
            }
        }
    }

    @Test
    void copiedRunsAreFoundAcrossPunctuationAndCase() {
        // The check above is only as good as this helper: make sure it would catch a lightly disguised copy.
        String section = "Despite the name, ROS 2 is not an operating system in the way Linux or Windows is.";
        assertThat(sharedRuns("So ROS-2 is NOT an operating-system, then?", section))
                .containsExactly("ros 2 is not an", "2 is not an operating", "is not an operating system");
        assertThat(sharedRuns("Is ROS 2 really an operating system?", section)).isEmpty();
    }

    private static ParsedChapter.Section section(Question q) {
        ParsedChapter chapter = CHAPTERS.get(q.chapter());
        return chapter == null
                ? null
                : chapter.sections().stream()
                        .filter(s -> s.number() == q.section())
                        .findFirst()
                        .orElse(null);
    }

    /** The runs of {@link #COPIED_RUN} consecutive words of {@code question} that also occur in {@code text}. */
    private static List<String> sharedRuns(String question, String text) {
        List<String> q = words(question);
        String haystack = " " + String.join(" ", words(text)) + " ";
        List<String> runs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i + COPIED_RUN <= q.size(); i++) {
            String run = String.join(" ", q.subList(i, i + COPIED_RUN));
            if (haystack.contains(" " + run + " ") && seen.add(run)) {
                runs.add(run);
            }
        }
        return runs;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** The sample book as the loader hands it to the importer: its listed files in a zip. */
    private static byte[] zip(List<String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String file : files) {
                out.putNextEntry(new ZipEntry(file));
                try (InputStream in = resource(SAMPLE_BOOK + file)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static InputStream resource(String name) {
        InputStream in = EvalSetTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as("resource %s", name).isNotNull();
        return in;
    }
}
