package dev.lectern.catalogue.content;

import dev.lectern.platform.Hashes;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Words;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.front.matter.YamlFrontMatterBlock;
import org.commonmark.ext.front.matter.YamlFrontMatterExtension;
import org.commonmark.ext.front.matter.YamlFrontMatterVisitor;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Parses a chapter written in Markdown with YAML front matter (Docusaurus style) into metadata and sections.
 *
 * <p>Sections are cut at the top-level headings of the highest level present (usually {@code ##}); a leading
 * {@code #} heading is the chapter title, not a section. A real CommonMark parser decides what a heading is, so
 * a {@code #} line inside a fenced code block never splits a section. Section bodies are slices of the original
 * text (via source spans), so code blocks and tables come back byte for byte.
 */
@ApplicationScoped
public class MarkdownChapterParser {

    private static final Pattern EXPLICIT_ID = Pattern.compile("\\s*\\{#([^\\s}#]+)}\\s*$");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");
    private static final Pattern TABLE_DELIMITER = Pattern.compile("(?m)^\\s*\\|?\\s*:?-{3,}:?\\s*(\\||$)");
    /** Who or when, at the start ("By …", "Author: …"), or anywhere (a reading time, a date). */
    private static final Pattern BYLINE = Pattern.compile(
            "(?i)^\\W*(by|authors?|written by|last updated|updated on|published on)\\b"
                    + "|\\b(reading time|min read|minutes? read)\\b"
                    + "|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b(january|february|march|april|may|june|july|august|september|october|november|december)\\s+\\d{1,2},?\\s+\\d{4}\\b");

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");

    private static final List<Extension> EXTENSIONS =
            List.of(YamlFrontMatterExtension.create(), TablesExtension.create());

    private final Parser parser = Parser.builder()
            .extensions(EXTENSIONS)
            .includeSourceSpans(IncludeSourceSpans.BLOCKS)
            .build();
    private final MarkdownBounds bounds = new MarkdownBounds(EXTENSIONS);
    private final TextContentRenderer textRenderer =
            TextContentRenderer.builder().build();

    public ParsedChapter parse(String markdown) {
        String text = normalize(markdown);
        bounds.checkBeforeParsing(text);
        Node document = parser.parse(text);
        bounds.checkDepth(document);
        String[] lines = text.split("\n", -1);

        YamlFrontMatterVisitor frontMatterVisitor = new YamlFrontMatterVisitor();
        document.accept(frontMatterVisitor);
        Map<String, List<String>> frontMatter = frontMatterVisitor.getData();

        int bodyStart = 0;
        List<Heading> headings = new ArrayList<>();
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof YamlFrontMatterBlock) {
                bodyStart = lastLine(node) + 1;
            } else if (node instanceof Heading heading) {
                headings.add(heading);
            }
        }

        List<Problem.FieldError> errors = new ArrayList<>();
        String h1Title = null;
        int contentStart = bodyStart;
        if (!headings.isEmpty() && headings.get(0).getLevel() == 1 && isFirstBlock(document, headings.get(0))) {
            h1Title = stripExplicitId(headingText(headings.get(0))).title();
            contentStart = lastLine(headings.get(0)) + 1;
            headings = headings.subList(1, headings.size());
        }
        Cuts sectioning = sectionHeadings(headings, contentStart, lines);
        List<Heading> cuts = sectioning.headings();
        contentStart = sectioning.contentStart();

        List<ParsedChapter.Section> sections = new ArrayList<>();
        Set<String> anchors = new HashSet<>();
        int firstCut = cuts.isEmpty() ? lines.length : firstLine(cuts.get(0));
        String preamble = slice(lines, contentStart, firstCut);
        // A preamble of a few words (a byline, a date) or one before an explicit "Introduction" heading is not a
        // section of its own: it opens the first section, so the index holds no near-empty or twin "Introduction"
        // passages.
        boolean preambleOpensFirstSection = !preamble.isBlank()
                && !cuts.isEmpty()
                && (byline(preamble)
                        || stripExplicitId(headingText(cuts.get(0))).title().equalsIgnoreCase("introduction"));
        if (!preamble.isBlank() && !preambleOpensFirstSection) {
            sections.add(new ParsedChapter.Section(1, "Introduction", unique("introduction", anchors), preamble));
        }
        for (int i = 0; i < cuts.size(); i++) {
            Heading heading = cuts.get(i);
            int end = i + 1 < cuts.size() ? firstLine(cuts.get(i + 1)) : lines.length;
            int number = sections.size() + 1;
            TitleAndId titled = stripExplicitId(headingText(heading));
            String title = titled.title().isBlank() ? "Section " + number : truncate(titled.title(), 300);
            String anchor = titled.id() != null ? titled.id() : slugify(titled.title());
            if (anchor.isEmpty()) {
                anchor = "section-" + number;
            }
            String body = slice(lines, lastLine(heading) + 1, end);
            if (i == 0 && preambleOpensFirstSection) {
                body = body.isBlank() ? preamble : preamble + "\n\n" + body;
            }
            sections.add(new ParsedChapter.Section(number, title, unique(anchor, anchors), body));
        }

        String title = first(frontMatter, "title");
        if (title == null) {
            title = h1Title;
        }
        if (title == null || title.isBlank()) {
            errors.add(new Problem.FieldError("title", "give a title in the front matter or a leading '# ' heading"));
        } else if (title.length() > 300) {
            errors.add(new Problem.FieldError("title", "must be at most 300 characters"));
        }
        Integer number = integer(frontMatter, errors, "number");
        if (number == null) {
            number = integer(frontMatter, errors, "sidebar_position");
        }
        Difficulty difficulty = null;
        String difficultyText = first(frontMatter, "difficulty");
        if (difficultyText != null) {
            try {
                difficulty = Difficulty.fromCode(difficultyText);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("difficulty", e.getMessage().replace("difficulty ", "")));
            }
        }
        String summary = first(frontMatter, "summary");
        if (summary == null) {
            summary = first(frontMatter, "description");
        }
        if (summary != null && summary.length() > 2000) {
            errors.add(new Problem.FieldError("summary", "must be at most 2000 characters"));
        }
        String author = first(frontMatter, "author");
        if (author != null && author.length() > 200) {
            errors.add(new Problem.FieldError("author", "must be at most 200 characters"));
        }
        Boolean published = null;
        if (frontMatter.containsKey("draft")) {
            published = !yamlTrue(first(frontMatter, "draft"));
        }
        if (frontMatter.containsKey("published")) {
            published = yamlTrue(first(frontMatter, "published"));
        }
        String slug = first(frontMatter, "slug");
        if (slug == null) {
            slug = first(frontMatter, "id");
        }
        if (slug != null) {
            slug = slug.replaceAll("^/+", "");
            if (!SLUG.matcher(slug).matches()) {
                slug = null; // Docusaurus allows paths in slug; the importer then derives one from the file name.
            }
        }
        List<String> outcomes = flowList(frontMatter.getOrDefault("outcomes", List.of())).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
        String body = slice(lines, bodyStart, lines.length);
        if (sections.isEmpty()) {
            errors.add(new Problem.FieldError("body", "the chapter has no content after its front matter"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        int minutes = Math.max(1, Words.readingMinutes(Words.count(textRenderer.render(document))));
        return new ParsedChapter(
                title.trim(),
                number,
                difficulty,
                summary,
                author,
                published,
                slug,
                outcomes,
                body,
                List.copyOf(sections),
                minutes,
                Hashes.sha256(text));
    }

    /**
     * The headings that open sections: those of the highest level present below the title, unless that level has a
     * single heading which opens the page (a second title, as in "## Redux FAQ: Reducers" followed by its questions
     * as "###"): then the next level down cuts, so the sections are what a reader navigates by.
     */
    private static Cuts sectionHeadings(List<Heading> headings, int contentStart, String[] lines) {
        List<Heading> remaining = headings;
        while (true) {
            int level = remaining.stream().mapToInt(Heading::getLevel).min().orElse(0);
            List<Heading> cuts =
                    remaining.stream().filter(h -> h.getLevel() == level).toList();
            if (cuts.size() != 1
                    || !slice(lines, contentStart, firstLine(cuts.get(0))).isBlank()) {
                return new Cuts(cuts, contentStart);
            }
            Heading wrapper = cuts.get(0);
            List<Heading> below =
                    remaining.stream().filter(h -> h.getLevel() > level).toList();
            long nextLevelCount = below.stream()
                    .filter(h -> h.getLevel()
                            == below.stream().mapToInt(Heading::getLevel).min().orElse(0))
                    .count();
            if (nextLevelCount < 2) {
                return new Cuts(cuts, contentStart);
            }
            // The wrapper heading is dropped like a title; its text before the first sub-heading is the preamble.
            contentStart = lastLine(wrapper) + 1;
            remaining = below;
        }
    }

    /** The section headings, and where the text before the first of them starts. */
    private record Cuts(List<Heading> headings, int contentStart) {}

    /**
     * A byline, not an introduction: under 20 words, no code, list, table or quote, and either wholly emphasised or
     * saying who wrote it or when ("By …", "Author: …", "Reading time: 8 min", "Last updated …", a date).
     */
    private static boolean byline(String preamble) {
        String text = preamble.strip();
        if (text.contains("```")
                || text.contains("~~~")
                || TABLE_DELIMITER.matcher(text).find()
                || text.contains("\n- ")
                || text.startsWith("- ")
                || text.startsWith("* ")
                || text.startsWith(">")) {
            return false;
        }
        if (Words.count(text) >= 20) {
            return false;
        }
        boolean emphasised = text.matches("(?s)^([*_]{1,3}).+\\1$");
        return emphasised || BYLINE.matcher(text).find();
    }

    /** GitHub/Docusaurus-style heading anchor: lower case, punctuation dropped, spaces to hyphens. Keeps non-Latin letters. */
    static String slugify(String title) {
        StringBuilder sb = new StringBuilder();
        for (int cp : title.trim().toLowerCase(Locale.ROOT).codePoints().toArray()) {
            int type = Character.getType(cp);
            boolean mark = type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK; // vowel signs of Devanagari, Urdu diacritics…
            if (Character.isLetterOrDigit(cp) || mark || cp == '-' || cp == '_') {
                sb.appendCodePoint(cp);
            } else if (Character.isWhitespace(cp)) {
                sb.append('-');
            }
        }
        return sb.length() > 200 ? sb.substring(0, 200) : sb.toString();
    }

    private static String normalize(String markdown) {
        String text = markdown.replace("\r\n", "\n").replace('\r', '\n');
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return text.stripTrailing() + "\n";
    }

    private static boolean isFirstBlock(Node document, Heading heading) {
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (!(node instanceof YamlFrontMatterBlock)) {
                return node == heading;
            }
        }
        return false;
    }

    private static int firstLine(Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        return spans.get(0).getLineIndex();
    }

    private static int lastLine(Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        return spans.get(spans.size() - 1).getLineIndex();
    }

    private static String slice(String[] lines, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, from); i < Math.min(lines.length, to); i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString().replaceAll("^(\\s*\\n)+", "").stripTrailing();
    }

    /** A heading's plain text: inline markup dropped, code spans kept, line breaks as spaces (also used by the chunker). */
    public static String headingText(Heading heading) {
        StringBuilder sb = new StringBuilder();
        collectText(heading, sb);
        return sb.toString().trim();
    }

    private static void collectText(Node node, StringBuilder sb) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof Text text) {
                sb.append(text.getLiteral());
            } else if (child instanceof Code code) {
                sb.append(code.getLiteral());
            } else if (child instanceof SoftLineBreak || child instanceof HardLineBreak) {
                sb.append(' ');
            } else {
                collectText(child, sb);
            }
        }
    }

    private record TitleAndId(String title, String id) {}

    private static TitleAndId stripExplicitId(String text) {
        Matcher m = EXPLICIT_ID.matcher(text);
        if (m.find()) {
            return new TitleAndId(text.substring(0, m.start()).trim(), m.group(1));
        }
        return new TitleAndId(text, null);
    }

    private static String unique(String anchor, Set<String> taken) {
        String candidate = anchor;
        for (int i = 1; !taken.add(candidate); i++) {
            candidate = anchor + "-" + i;
        }
        return candidate;
    }

    private static String first(Map<String, List<String>> frontMatter, String key) {
        List<String> values = frontMatter.get(key);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0).trim();
        return value.isEmpty() ? null : value;
    }

    private static Integer integer(Map<String, List<String>> frontMatter, List<Problem.FieldError> errors, String key) {
        String value = first(frontMatter, key);
        if (value == null) {
            return null;
        }
        if (!INTEGER.matcher(value).matches() || Integer.parseInt(value) < 0 || Integer.parseInt(value) > 100000) {
            errors.add(new Problem.FieldError(key, "must be a whole number between 0 and 100000"));
            return null;
        }
        return Integer.parseInt(value);
    }

    /** YAML 1.1 booleans as Docusaurus front matter uses them. */
    private static boolean yamlTrue(String value) {
        return value != null
                && List.of("true", "yes", "on", "y").contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /** The front-matter reader keeps {@code [a, b]} as one string; split flow-style lists ourselves. */
    private static List<String> flowList(List<String> values) {
        if (values.size() == 1) {
            String v = values.get(0).trim();
            if (v.startsWith("[") && v.endsWith("]")) {
                return java.util.Arrays.stream(v.substring(1, v.length() - 1).split(","))
                        .map(x -> x.trim().replaceAll("^['\"]|['\"]$", ""))
                        .toList();
            }
        }
        return values;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
