package dev.lectern.catalogue.content;

import dev.lectern.platform.ProblemException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.commonmark.Extension;
import org.commonmark.node.Node;
import org.commonmark.parser.InlineParser;
import org.commonmark.parser.Parser;
import org.commonmark.parser.SourceLine;
import org.commonmark.parser.SourceLines;

/**
 * Bounds on a Markdown document's structure, checked before and while it is parsed, so that no input within the size
 * limit can exhaust the stack or the heap of the CommonMark parser or of the code walking its tree.
 *
 * <p>Measured with commonmark-java 0.28 on 5 MiB documents (the default size limit): 5 million {@code >} on one line
 * exhaust a 1 GiB heap while parsing, as do a flat list of 1.3 million items, one paragraph of 5 million {@code [}
 * or deeply nested {@code *_}; {@code ![} nested a million times overflow the inline parser's stack; 50,000 nested
 * quotes overflow any recursive walk of the tree. An ordinary 5 MiB chapter has well under 100,000 lines and keeps
 * about 40 MB of tree. Hence three checks, each linear in the input:
 *
 * <ol>
 *   <li>before parsing, line by line: at most {@link #MAX_DEPTH} container markers ({@code >}, list bullets) open a
 *       line, and non-blank lines plus container markers stay within {@link #MAX_BLOCKS} (every block node needs
 *       one of them);
 *   <li>a parse of the blocks only, whose inline parser just counts what could become inline nodes in each
 *       paragraph, heading or table cell (code is never inline-parsed, so code samples cost nothing): at most
 *       {@link #MAX_INLINE_MARKS_PER_BLOCK} in one block, {@link #MAX_INLINE_MARKS} in all;
 *   <li>after the real parse, an iterative walk: the tree is at most {@link #MAX_DEPTH} deep, so recursive visitors
 *       (the parser's own renderers, the chunker) are safe.
 * </ol>
 *
 * A document past any bound is a 400 naming the body; it is never a 5xx.
 */
final class MarkdownBounds {

    /** Deepest nesting of blocks and inlines; real documents rarely pass 10. */
    static final int MAX_DEPTH = 64;
    /** Non-blank lines plus container markers. */
    static final int MAX_BLOCKS = 250_000;
    /** Characters that may open or close inline nodes, in one paragraph, heading or table cell. */
    static final int MAX_INLINE_MARKS_PER_BLOCK = 10_000;
    /** The same, in the whole document. */
    static final int MAX_INLINE_MARKS = 1_000_000;

    private final List<Extension> extensions;

    MarkdownBounds(List<Extension> extensions) {
        this.extensions = extensions;
    }

    /** Refuses {@code text} (normalised: {@code \n} line ends) when its structure is past a bound. */
    void checkBeforeParsing(String text) {
        checkLines(text);
        InlineMarks marks = new InlineMarks();
        // Block parsing only: the inline parser counts instead of building nodes, and fails fast once past a bound.
        Parser.builder()
                .extensions(extensions)
                .inlineParserFactory(context -> marks)
                .build()
                .parse(text);
    }

    /** Refuses a parsed document nested deeper than {@link #MAX_DEPTH}; iterative, so any depth is safe to measure. */
    void checkDepth(Node document) {
        Deque<Node> path = new ArrayDeque<>();
        Node node = document;
        while (node != null) {
            if (node.getFirstChild() != null) {
                path.push(node);
                if (path.size() > MAX_DEPTH) {
                    throw tooDeep();
                }
                node = node.getFirstChild();
                continue;
            }
            while (node != null && node.getNext() == null) {
                node = path.isEmpty() ? null : path.pop();
                if (node == document) {
                    return;
                }
            }
            if (node != null) {
                node = node.getNext();
            }
        }
    }

    private static void checkLines(String text) {
        long blocks = 0;
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = text.length();
            }
            int markers = containerMarkers(text, at, end);
            if (markers > MAX_DEPTH) {
                throw tooDeep();
            }
            if (markers > 0 || !text.substring(at, end).isBlank()) {
                blocks += 1 + markers;
            }
            if (blocks > MAX_BLOCKS) {
                throw invalid("has more than " + MAX_BLOCKS + " lines and list or quote markers");
            }
            at = end + 1;
        }
    }

    /** The {@code >}, bullet and ordered-list markers that open the line {@code text[from, to)}. */
    private static int containerMarkers(String text, int from, int to) {
        int markers = 0;
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '>') {
                markers++;
                i++;
            } else if ((c == '-' || c == '+' || c == '*') && (i + 1 == to || isBlank(text.charAt(i + 1)))) {
                markers++;
                i++;
            } else if (c >= '0' && c <= '9') {
                int digits = i;
                while (digits < to && digits - i < 9 && Character.isDigit(text.charAt(digits))) {
                    digits++;
                }
                boolean ordered = digits < to
                        && (text.charAt(digits) == '.' || text.charAt(digits) == ')')
                        && (digits + 1 == to || isBlank(text.charAt(digits + 1)));
                if (!ordered) {
                    return markers;
                }
                markers++;
                i = digits + 1;
            } else {
                return markers;
            }
        }
        return markers;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Counts the characters that could become inline nodes, block by block, instead of parsing inlines. */
    private static final class InlineMarks implements InlineParser {

        private long total;

        @Override
        public void parse(SourceLines lines, Node block) {
            int inBlock = 0;
            for (SourceLine line : lines.getLines()) {
                CharSequence content = line.getContent();
                for (int i = 0; i < content.length(); i++) {
                    if (isInlineMark(content.charAt(i))) {
                        inBlock++;
                    }
                }
                if (inBlock > MAX_INLINE_MARKS_PER_BLOCK) {
                    throw invalid("has a paragraph, heading or table cell with more than " + MAX_INLINE_MARKS_PER_BLOCK
                            + " emphasis, link, code or HTML markers");
                }
            }
            // Every call is a node of its own (a table cell, a paragraph), whatever it holds.
            total += inBlock + 1;
            if (total > MAX_INLINE_MARKS) {
                throw invalid("has more than " + MAX_INLINE_MARKS + " emphasis, link, code or HTML markers");
            }
        }

        private static boolean isInlineMark(char c) {
            return switch (c) {
                case '*', '_', '[', ']', '!', '`', '<', '\\', '|', '~' -> true;
                default -> false;
            };
        }
    }

    private static ProblemException tooDeep() {
        return invalid("is nested deeper than " + MAX_DEPTH + " levels (quotes, lists, emphasis or links)");
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalid("body", message);
    }
}
