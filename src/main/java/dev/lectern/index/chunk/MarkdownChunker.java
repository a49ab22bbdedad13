package dev.lectern.index.chunk;

import dev.lectern.catalogue.content.MarkdownChapterParser;
import dev.lectern.platform.Hashes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.front.matter.YamlFrontMatterBlock;
import org.commonmark.ext.front.matter.YamlFrontMatterExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Cuts a chapter's sections into passages small enough to embed and precise enough to cite.
 *
 * <p>Each section body is parsed with CommonMark (GFM tables, YAML front matter) and every chunk is sliced from the
 * original text by source spans, so code blocks and tables come back byte for byte. The rules:
 * <ul>
 * <li><b>Headings.</b> A heading inside a section ends the current chunk and extends the heading path (chapter,
 * section, then sub-headings by level). A heading without text only closes the deeper levels.</li>
 * <li><b>Packing.</b> Whole units are packed in order while the chunk stays within the target size (in the embedding
 * model's tokens). A unit is a top-level block, except that a list contributes each top-level item separately.
 * Fenced and indented code blocks, tables, list items (with everything nested in them), block quotes and HTML
 * blocks are never cut: one larger than the target becomes a chunk of its own.</li>
 * <li><b>Long prose.</b> A paragraph larger than the target is cut between sentences ({@code . ! ? …} and the
 * Urdu, Arabic, Devanagari and CJK full stops, not inside a code span); a single sentence larger than the target is
 * cut between words.</li>
 * <li><b>Enormous blocks.</b> A code block or table above {@value #ENORMOUS_FACTOR} times the target is cut between
 * lines (a fenced block is closed and re-opened with the same fence and info string) or between rows (every piece
 * repeats the header and delimiter rows), each piece within the target unless one line or row alone exceeds it.</li>
 * <li><b>Overlap.</b> A chunk after the first in the same heading scope starts with up to {@code overlapTokens} of
 * the previous chunk's trailing whole units, or of its last paragraph's trailing sentences, when they fit within the
 * target beside the next unit. Never across headings or sections, never into an oversized chunk.</li>
 * <li><b>Code keeps its lead-in.</b> A code block that would start a chunk with no prose (too large to share one
 * with the text before it) starts with the last sentences, within {@code overlapTokens} (the last one alone if
 * longer, up to twice that), of the paragraph right before it, even past the target and even in an oversized chunk:
 * a question about what the code does is asked in that paragraph's words.</li>
 * <li><b>Dropped.</b> Front matter, thematic breaks, link reference definitions and HTML comments carry no prose.
 * MDX syntax lines outside code blocks are dropped too: {@code import … from '…'} and single-line
 * {@code export …;} statements, lines holding only JSX component tags ({@code <Tabs>}, {@code </TabItem>},
 * {@code <Admonition type="tip" />}: capitalised names, so plain HTML stays) and MDX comments (a JavaScript block
 * comment in braces). The lines between component tags stay, as ordinary Markdown. Whitespace-only chunks are never
 * produced.</li>
 * </ul>
 * Chunking is deterministic: the same input always gives the same chunks, ordinals and hashes. It is CPU work (a
 * parse and a tokenizer call per unit); run it off the event loop.
 */
public final class MarkdownChunker {

    public static final int DEFAULT_TARGET_TOKENS = 256;
    /** About 15 % of the default target. */
    public static final int DEFAULT_OVERLAP_TOKENS = 38;
    /** Code blocks and tables above this many targets are cut between lines or rows. */
    public static final int ENORMOUS_FACTOR = 4;

    private static final Pattern MDX_LINE = Pattern.compile("\\s*(?:"
            + "import\\s+(?:[\\w*{}\\s,$]+\\s+from\\s+)?['\"][^'\"]+['\"]\\s*;?"
            + "|export\\s+.*;"
            + "|(?:</?[A-Z][\\w.]*(?:\\s+[^<>]*?)?\\s*/?>\\s*)+"
            + "|\\{/\\*.*\\*/}"
            + ")\\s*");
    private static final Pattern MDX_HINT = Pattern.compile("(?m)^\\s*(?:import\\s|export\\s|</?[A-Z]|\\{/\\*)");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?…؟۔।][\"'”’)\\]*_]{0,3}(\\s+)|[。！？]");
    private static final Pattern FENCE = Pattern.compile("\\s*(`{3,}|~{3,})(.*)");
    private static final Pattern EXPLICIT_ID = Pattern.compile("\\s*\\{#[^\\s}#]+}\\s*$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final TokenCounter counter;
    private final int target;
    private final int overlap;
    private final Parser parser = Parser.builder()
            .extensions(List.of(YamlFrontMatterExtension.create(), TablesExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS)
            .build();

    public MarkdownChunker(TokenCounter counter, int targetTokens, int overlapTokens) {
        if (targetTokens < 8) {
            throw new IllegalArgumentException("the chunk target must be at least 8 tokens");
        }
        if (overlapTokens < 0 || overlapTokens >= targetTokens) {
            throw new IllegalArgumentException("the overlap must be between 0 and the target (exclusive)");
        }
        this.counter = counter;
        this.target = targetTokens;
        this.overlap = overlapTokens;
    }

    public int targetTokens() {
        return target;
    }

    public int overlapTokens() {
        return overlap;
    }

    /** The chunks of a chapter, section by section, numbered from 0 across the chapter. */
    public List<Chunk> chunk(String chapterTitle, List<SectionSource> sections) {
        List<Chunk> chunks = new ArrayList<>();
        for (SectionSource section : sections) {
            List<String> sectionPath = new ArrayList<>();
            addTitle(sectionPath, chapterTitle);
            addTitle(sectionPath, section.title());
            for (Scope scope : scopes(section.markdown(), sectionPath)) {
                pack(scope, section, chunks);
            }
        }
        return List.copyOf(chunks);
    }

    /** What {@link Chunk#contentHash()} holds: SHA-256 of the heading path (one title per line), a newline and the text. */
    public static String contentHash(List<String> headingPath, String text) {
        return Hashes.sha256(String.join("\n", headingPath) + "\n" + text);
    }

    // --- units --------------------------------------------------------------------------------------------------

    /**
     * A piece of section text that is never cut here: a block, a list item, a sentence or a slice of an enormous
     * block. {@code glue} is what joins it to the unit before it in the same chunk (the source's own line breaks).
     */
    private record Unit(String text, int tokens, String glue, boolean prose, boolean code) {

        Unit(String text, int tokens, String glue, boolean prose) {
            this(text, tokens, glue, prose, false);
        }
    }

    /** Consecutive units under one heading path. */
    private record Scope(List<String> path, List<Unit> units) {}

    private List<Scope> scopes(String markdown, List<String> sectionPath) {
        String text = normalize(markdown == null ? "" : markdown);
        if (text.isBlank()) {
            return List.of();
        }
        text = withoutMdxLines(text);
        String[] lines = text.split("\n", -1);
        Node document = parser.parse(text);

        List<Scope> scopes = new ArrayList<>();
        Deque<Heading> headings = new ArrayDeque<>();
        List<String> path = List.copyOf(sectionPath);
        List<Unit> units = new ArrayList<>();
        int previousLast = -1;
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof Heading heading) {
                if (!units.isEmpty()) {
                    scopes.add(new Scope(path, units));
                }
                while (!headings.isEmpty() && headings.peekLast().getLevel() >= heading.getLevel()) {
                    headings.removeLast();
                }
                if (!title(heading).isEmpty()) {
                    headings.addLast(heading);
                }
                List<String> extended = new ArrayList<>(sectionPath);
                headings.forEach(h -> extended.add(title(h)));
                path = List.copyOf(extended);
                units = new ArrayList<>();
                previousLast = -1;
            } else if (!carriesNoProse(node)) {
                List<Node> parts = node instanceof ListBlock ? children(node) : List.of(node);
                for (Node part : parts) {
                    int first = firstLine(part);
                    if (first >= lines.length) {
                        continue; // no source position: nothing to slice
                    }
                    int last = lastNonBlankLine(lines, first, Math.min(lastLine(part), lines.length - 1));
                    String glue = first == previousLast + 1 ? "\n" : "\n\n";
                    units.addAll(units(part, lines, first, last, glue));
                    previousLast = last;
                }
            }
        }
        if (!units.isEmpty()) {
            scopes.add(new Scope(path, units));
        }
        return scopes;
    }

    private static boolean carriesNoProse(Node node) {
        return node instanceof ThematicBreak
                || node instanceof YamlFrontMatterBlock
                || node instanceof LinkReferenceDefinition
                || node instanceof HtmlBlock html
                        && html.getLiteral().strip().startsWith("<!--")
                        && html.getLiteral().strip().endsWith("-->");
    }

    private List<Unit> units(Node block, String[] lines, int first, int last, String glue) {
        String text = slice(lines, first, last);
        if (text.isBlank()) {
            return List.of();
        }
        int tokens = counter.count(text);
        if (block instanceof Paragraph) {
            return tokens <= target ? List.of(new Unit(text, tokens, glue, true)) : sentences(text.strip(), glue, true);
        }
        boolean code = block instanceof FencedCodeBlock || block instanceof IndentedCodeBlock;
        if (tokens > ENORMOUS_FACTOR * target) {
            if (block instanceof FencedCodeBlock fenced) {
                return fencedSlices(fenced, lines, first, last, glue);
            }
            if (block instanceof IndentedCodeBlock) {
                return lineSlices("", List.of(lines).subList(first, last + 1), "", glue, true);
            }
            if (block instanceof TableBlock && last - first >= 2) {
                return lineSlices(
                        lines[first] + "\n" + lines[first + 1] + "\n",
                        List.of(lines).subList(first + 2, last + 1),
                        "",
                        glue,
                        false);
            }
        }
        return List.of(new Unit(text, tokens, glue, false, code));
    }

    /**
     * A paragraph (or, for the overlap, its end) as sentence units; with {@code cutLongSentences}, sentences above the
     * target are further cut between words.
     */
    private List<Unit> sentences(String text, String glue, boolean cutLongSentences) {
        List<Unit> units = new ArrayList<>();
        Matcher end = SENTENCE_END.matcher(text);
        int start = 0;
        String nextGlue = glue;
        while (end.find()) {
            int stop = end.group(1) != null ? end.start(1) : end.end();
            if (stop >= text.length() || insideCodeSpan(text, stop)) {
                continue;
            }
            addSentence(units, text.substring(start, stop), nextGlue, cutLongSentences);
            nextGlue = end.group(1) != null ? end.group(1) : "";
            start = end.end();
        }
        if (start < text.length()) {
            addSentence(units, text.substring(start), nextGlue, cutLongSentences);
        }
        return units;
    }

    private void addSentence(List<Unit> units, String sentence, String glue, boolean cutLongSentences) {
        if (sentence.isBlank()) {
            return;
        }
        int tokens = counter.count(sentence);
        if (tokens <= target || !cutLongSentences) {
            units.add(new Unit(sentence, tokens, glue, true));
            return;
        }
        // A run-on "sentence" (or text without full stops) larger than the target: cut between words.
        StringBuilder piece = new StringBuilder();
        int pieceTokens = 0;
        String pieceGlue = glue;
        Matcher space = WHITESPACE.matcher(sentence);
        int start = 0;
        while (start < sentence.length()) {
            int stop = space.find(start) ? space.start() : sentence.length();
            String word = sentence.substring(start, stop);
            String gap = stop < sentence.length() ? space.group() : "";
            int wordTokens = counter.count(word);
            if (piece.length() > 0 && pieceTokens + wordTokens > target) {
                units.add(new Unit(piece.toString().strip(), pieceTokens, pieceGlue, true));
                pieceGlue = " ";
                piece.setLength(0);
                pieceTokens = 0;
            }
            piece.append(word).append(gap);
            pieceTokens += wordTokens;
            start = stop + gap.length();
        }
        if (!piece.isEmpty()) {
            units.add(new Unit(piece.toString().strip(), pieceTokens, pieceGlue, true));
        }
    }

    /** A sentence end inside an inline code span ({@code `a. b`}) is not one: odd number of backticks before it. */
    private static boolean insideCodeSpan(String text, int index) {
        int ticks = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '`') {
                ticks++;
            }
        }
        return ticks % 2 == 1;
    }

    private List<Unit> fencedSlices(FencedCodeBlock block, String[] lines, int first, int last, String glue) {
        String opener = lines[first];
        boolean closed = block.getClosingFenceLength() != null && last > first;
        String closer = closed
                ? lines[last]
                : " ".repeat(block.getFenceIndent()) + block.getFenceCharacter().repeat(block.getOpeningFenceLength());
        List<String> body = List.of(lines).subList(first + 1, closed ? last : last + 1);
        return lineSlices(opener + "\n", body, "\n" + closer, glue, true);
    }

    /** Packs whole lines between {@code head} and {@code tail} (repeated on every slice) up to the target. */
    private List<Unit> lineSlices(String head, List<String> body, String tail, String glue, boolean code) {
        int frame = counter.count(head) + counter.count(tail);
        List<Unit> slices = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int tokens = frame;
        for (String line : body) {
            int lineTokens = counter.count(line);
            if (!current.isEmpty() && tokens + lineTokens > target) {
                addSlice(slices, head, current, tail, slices.isEmpty() ? glue : "\n\n", code);
                current.clear();
                tokens = frame;
            }
            current.add(line);
            tokens += lineTokens;
        }
        addSlice(slices, head, current, tail, slices.isEmpty() ? glue : "\n\n", code);
        return slices;
    }

    private void addSlice(List<Unit> slices, String head, List<String> lines, String tail, String glue, boolean code) {
        int from = 0;
        int to = lines.size();
        if (head.isEmpty()) { // an indented code block neither starts nor ends with a blank line
            while (from < to && lines.get(from).isBlank()) {
                from++;
            }
            while (to > from && lines.get(to - 1).isBlank()) {
                to--;
            }
        }
        if (lines.subList(from, to).stream().allMatch(String::isBlank)) {
            return;
        }
        String text = head + String.join("\n", lines.subList(from, to)) + tail;
        slices.add(new Unit(text, counter.count(text), glue, false, code));
    }

    // --- packing ------------------------------------------------------------------------------------------------

    private void pack(Scope scope, SectionSource section, List<Chunk> out) {
        List<Unit> current = new ArrayList<>();
        int tokens = 0;
        boolean fresh = false; // holds a unit that no earlier chunk has
        for (Unit unit : scope.units()) {
            if (!current.isEmpty() && tokens + unit.tokens() > target) {
                if (fresh) {
                    emit(current, scope.path(), section, out);
                }
                List<Unit> previous = current;
                current = overlapTail(current);
                tokens = current.stream().mapToInt(Unit::tokens).sum();
                if (tokens + unit.tokens() > target) {
                    current = unit.code() ? leadIn(previous) : new ArrayList<>();
                    tokens = current.stream().mapToInt(Unit::tokens).sum();
                }
            }
            current.add(unit);
            tokens += unit.tokens();
            fresh = true;
        }
        if (fresh) {
            emit(current, scope.path(), section, out);
        }
    }

    /**
     * What a code block starting a chunk of its own keeps of the prose that introduced it, even past the target: the
     * last sentences (within the overlap, or the last one alone if within twice the overlap) of the paragraph right
     * before it. Code alone holds few of the words a question is asked in; the sentence that says what the code does
     * ("The speed limits live in this table:") does.
     */
    private List<Unit> leadIn(List<Unit> previous) {
        if (previous.isEmpty() || !previous.get(previous.size() - 1).prose()) {
            return new ArrayList<>();
        }
        Unit paragraph = previous.get(previous.size() - 1);
        List<Unit> sentences = sentences(paragraph.text().strip(), paragraph.glue(), false);
        Deque<Unit> kept = new ArrayDeque<>();
        int tokens = 0;
        for (int s = sentences.size() - 1; s >= 0 && tokens + sentences.get(s).tokens() <= overlap; s--) {
            kept.addFirst(sentences.get(s));
            tokens += sentences.get(s).tokens();
        }
        Unit last = sentences.isEmpty() ? null : sentences.get(sentences.size() - 1);
        if (kept.isEmpty() && last != null && last.tokens() <= 2 * overlap) {
            kept.add(last); // one longer sentence: still the one that introduces the code
        }
        return new ArrayList<>(kept);
    }

    /** The previous chunk's trailing whole units, or its last paragraph's trailing sentences, within the overlap. */
    private List<Unit> overlapTail(List<Unit> chunk) {
        Deque<Unit> tail = new ArrayDeque<>();
        int tokens = 0;
        for (int i = chunk.size() - 1; i >= 0; i--) {
            Unit unit = chunk.get(i);
            if (tokens + unit.tokens() <= overlap) {
                tail.addFirst(unit);
                tokens += unit.tokens();
                continue;
            }
            if (unit.prose()) {
                List<Unit> sentences = sentences(unit.text().strip(), unit.glue(), false);
                for (int s = sentences.size() - 1;
                        s > 0 && tokens + sentences.get(s).tokens() <= overlap;
                        s--) {
                    tail.addFirst(sentences.get(s));
                    tokens += sentences.get(s).tokens();
                }
            }
            break;
        }
        return new ArrayList<>(tail);
    }

    private void emit(List<Unit> units, List<String> path, SectionSource section, List<Chunk> out) {
        StringBuilder text = new StringBuilder(
                units.get(0).prose()
                        ? units.get(0).text().strip()
                        : units.get(0).text());
        for (Unit unit : units.subList(1, units.size())) {
            text.append(unit.glue()).append(unit.text());
        }
        String passage = text.toString().stripTrailing();
        if (passage.isBlank()) {
            return;
        }
        out.add(new Chunk(
                out.size(),
                path,
                section.number(),
                section.anchor(),
                passage,
                counter.count(passage),
                contentHash(path, passage)));
    }

    // --- text helpers -------------------------------------------------------------------------------------------

    private static String normalize(String markdown) {
        String text = markdown.replace("\r\n", "\n").replace('\r', '\n');
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /** Blanks MDX syntax lines outside code blocks (see the class comment); a blank line keeps the block structure. */
    private String withoutMdxLines(String text) {
        if (!MDX_HINT.matcher(text).find()) {
            return text; // the common case: plain Markdown, no second parse
        }
        String[] lines = text.split("\n", -1);
        boolean[] code = new boolean[lines.length];
        markCode(parser.parse(text), code);
        markFences(lines, code);
        boolean changed = false;
        for (int i = 0; i < lines.length; i++) {
            if (!code[i] && !lines[i].isBlank() && MDX_LINE.matcher(lines[i]).matches()) {
                lines[i] = "";
                changed = true;
            }
        }
        return changed ? String.join("\n", lines) : text;
    }

    private static void markCode(Node node, boolean[] code) {
        if (node instanceof FencedCodeBlock || node instanceof IndentedCodeBlock) {
            for (int line = firstLine(node); line <= lastLine(node) && line < code.length; line++) {
                code[line] = true;
            }
            return;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            markCode(child, code);
        }
    }

    /**
     * Also marks fenced code that CommonMark sees as part of an HTML block: a fence written right under a JSX tag
     * ({@code <TabItem>} with no blank line) belongs to the HTML block until the tag line is dropped, yet its lines
     * are code and must be kept as they are.
     */
    private static void markFences(String[] lines, boolean[] code) {
        String open = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher fence = FENCE.matcher(lines[i]);
            if (open == null && fence.matches()) {
                open = fence.group(1);
                code[i] = true;
            } else if (open != null) {
                code[i] = true;
                if (fence.matches()
                        && fence.group(1).charAt(0) == open.charAt(0)
                        && fence.group(1).length() >= open.length()
                        && fence.group(2).isBlank()) {
                    open = null;
                }
            }
        }
    }

    private static String title(Heading heading) {
        return EXPLICIT_ID
                .matcher(MarkdownChapterParser.headingText(heading))
                .replaceFirst("")
                .strip();
    }

    private static void addTitle(List<String> path, String title) {
        if (title != null && !title.isBlank()) {
            path.add(title.strip());
        }
    }

    private static List<Node> children(Node node) {
        List<Node> children = new ArrayList<>();
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            children.add(child);
        }
        return children;
    }

    /** First source line of a block or of anything nested in it. */
    private static int firstLine(Node node) {
        int first = Integer.MAX_VALUE;
        for (SourceSpan span : node.getSourceSpans()) {
            first = Math.min(first, span.getLineIndex());
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            first = Math.min(first, firstLine(child));
        }
        return first;
    }

    private static int lastLine(Node node) {
        int last = -1;
        for (SourceSpan span : node.getSourceSpans()) {
            last = Math.max(last, span.getLineIndex());
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            last = Math.max(last, lastLine(child));
        }
        return last;
    }

    private static int lastNonBlankLine(String[] lines, int first, int last) {
        while (last > first && lines[last].isBlank()) {
            last--;
        }
        return last;
    }

    private static String slice(String[] lines, int first, int last) {
        return String.join("\n", List.of(lines).subList(first, last + 1)).stripTrailing();
    }
}
