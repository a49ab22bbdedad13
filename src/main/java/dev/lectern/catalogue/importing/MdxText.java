package dev.lectern.catalogue.importing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Docusaurus page (MDX, which Docusaurus also applies to {@code .md} files) into the Markdown a reader sees, so
 * that build instructions and markup are neither stored as text nor indexed:
 * <ul>
 * <li>ESM {@code import}/{@code export} statements and {@code {/* ... *}/} comments are dropped, and so are HTML
 * comments and {@code <head>} blocks (page metadata);</li>
 * <li>JSX components (capitalised tags) lose their tags and keep the text inside them; a wrapper's {@code title}
 * attribute is kept as a bold line, since it names what the wrapped text is about; self-closing components (an ad, a
 * video, a transcluded partial) are dropped, as are {@code <details>}/{@code <summary>} tags (their text stays) and
 * lines of layout only (a wrapping {@code <div>}, {@code &nbsp;} spacers);</li>
 * <li>admonitions ({@code :::tip Title} ... {@code :::}) become a bold "Tip: Title" line followed by their text;</li>
 * <li>inside code blocks only Docusaurus' highlight directives ({@code // highlight-next-line} and the like) are
 * dropped: they are not shown.</li>
 * </ul>
 * Everything inside fenced code blocks is otherwise kept byte for byte.
 */
final class MdxText {

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})");
    private static final Pattern ESM = Pattern.compile(
            "^(import\\s+(?:[\\w*{}\\s,$]+\\s+from\\s+)?['\"]|import\\s*\\{|export\\s+(?:default|const|let|var|function|class|\\{|\\*))");
    private static final Pattern HIGHLIGHT = Pattern.compile(
            "^\\s*(?://|#|--|;)\\s*highlight-(?:next-line|start|end)\\s*$|^\\s*\\{/\\*\\s*highlight-[\\w-]+\\s*\\*/}\\s*$|^\\s*<!--\\s*highlight-[\\w-]+\\s*-->\\s*$");
    private static final Pattern ADMONITION_OPEN = Pattern.compile(
            "^\\s*:::\\s*(note|tip|info|caution|warning|danger|important|success|secondary)\\b\\s*(?:\\[(.*)]|(.*))$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ADMONITION_CLOSE = Pattern.compile("^\\s*:::\\s*$");
    private static final Pattern SELF_CLOSING_COMPONENT = Pattern.compile("<[A-Z][\\w.]*(?:\\s[^<>]*?)?/>");
    private static final Pattern OPENING_COMPONENT = Pattern.compile("<([A-Z][\\w.]*)((?:\\s[^<>]*?)?)>");
    private static final Pattern CLOSING_COMPONENT = Pattern.compile("</[A-Z][\\w.]*\\s*>");
    private static final Pattern TITLE_ATTRIBUTE =
            Pattern.compile("\\btitle\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|\\{\"([^\"]*)\"})");
    /** A line that is only layout: wrapper tags (div, span, p, center, br) or non-breaking spaces. */
    private static final Pattern LAYOUT_LINE = Pattern.compile(
            "^\\s*(?:(?:</?(?:div|span|p|center|section)(?:\\s[^<>]*)?>|<br\\s*/?>|&nbsp;)\\s*)+$",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern DETAILS_TAGS =
            Pattern.compile("</?(?:details|summary)(?:\\s[^<>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern JSX_COMMENT = Pattern.compile("(?s)\\{/\\*.*?\\*/}");
    private static final Pattern HTML_COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern HEAD = Pattern.compile("(?is)<head>.*?</head>");
    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(?!`).*?(?<!`)\\1(?!`)");
    private static final Pattern MASKED = Pattern.compile("\u0000(\\d+)\u0000");

    private MdxText() {}

    static String toMarkdown(String page) {
        String[] lines = page.replace("\r\n", "\n").split("\n", -1);
        StringBuilder out = new StringBuilder(page.length());
        StringBuilder prose = new StringBuilder();
        String fence = null;
        boolean inStatement = false;
        int frontMatterEnd = frontMatterEnd(lines);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i < frontMatterEnd) {
                out.append(line).append('\n');
                continue;
            }
            Matcher opens = FENCE.matcher(line);
            if (fence == null && opens.find()) {
                flush(prose, out);
                fence = opens.group(1);
                out.append(line).append('\n');
                continue;
            }
            if (fence != null) {
                if (closes(line, fence)) {
                    fence = null;
                    out.append(line).append('\n');
                } else if (!HIGHLIGHT.matcher(line).find()) {
                    out.append(line).append('\n');
                }
                continue;
            }
            if (inStatement) {
                inStatement = !endsStatement(line);
                continue;
            }
            if (ESM.matcher(line).find()) {
                inStatement = !endsStatement(line);
                continue;
            }
            prose.append(line).append('\n');
        }
        flush(prose, out);
        String markdown = out.toString().replaceAll("\n{3,}", "\n\n").stripTrailing() + "\n";
        // Front matter pushed down by module statements above it is still the page's front matter.
        return markdown.stripLeading().startsWith("---") ? markdown.stripLeading() : markdown;
    }

    /** Cleans a run of text outside code blocks (comments and tags may span lines within it). */
    private static void flush(StringBuilder prose, StringBuilder out) {
        if (prose.isEmpty()) {
            return;
        }
        List<String> codeSpans = new ArrayList<>();
        // Inline code keeps its tags (`<Provider store={store}>` is text the reader sees): masked while tags go.
        String text = INLINE_CODE.matcher(prose.toString()).replaceAll(m -> {
            codeSpans.add(m.group());
            return "\u0000" + (codeSpans.size() - 1) + "\u0000";
        });
        prose.setLength(0);
        text = JSX_COMMENT.matcher(text).replaceAll("");
        text = HTML_COMMENT.matcher(text).replaceAll("");
        text = HEAD.matcher(text).replaceAll("");
        text = SELF_CLOSING_COMPONENT.matcher(text).replaceAll("");
        text = OPENING_COMPONENT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(titleLine(m.group(2))));
        text = CLOSING_COMPONENT.matcher(text).replaceAll("");
        text = DETAILS_TAGS.matcher(text).replaceAll("");
        StringBuilder cleaned = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            Matcher admonition = ADMONITION_OPEN.matcher(line);
            if (admonition.matches()) {
                String kind = admonition.group(1).toLowerCase(Locale.ROOT);
                String title = admonition.group(2) != null ? admonition.group(2) : admonition.group(3);
                String label = Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
                cleaned.append("**")
                        .append(label)
                        .append(title == null || title.isBlank() ? "" : ": " + title.trim())
                        .append("**\n\n");
            } else if (!ADMONITION_CLOSE.matcher(line).matches()
                    && !LAYOUT_LINE.matcher(line).matches()) {
                cleaned.append(stripIndentOfUnwrappedLine(line)).append('\n');
            }
        }
        String result = cleaned.substring(0, cleaned.length() - 1);
        Matcher masked = MASKED.matcher(result);
        out.append(masked.replaceAll(m -> Matcher.quoteReplacement(codeSpans.get(Integer.parseInt(m.group(1))))));
    }

    /** A closing fence: the opening fence's character, at least as many, nothing else on the line. */
    private static boolean closes(String line, String fence) {
        String t = line.trim();
        return t.length() >= fence.length() && t.chars().allMatch(c -> c == fence.charAt(0));
    }

    /** A wrapper component's title as a paragraph of its own (blank lines keep it from joining the text). */
    private static String titleLine(String attributes) {
        Matcher title = TITLE_ATTRIBUTE.matcher(attributes == null ? "" : attributes);
        if (!title.find()) {
            return "";
        }
        String text =
                title.group(1) != null ? title.group(1) : title.group(2) != null ? title.group(2) : title.group(3);
        return text.isBlank() ? "" : "\n\n**" + text.trim() + "**\n\n";
    }

    /** Lines left blank but for indentation by removed tags would otherwise look like indented code. */
    private static String stripIndentOfUnwrappedLine(String line) {
        return line.isBlank() ? "" : line;
    }

    /** An import or export statement ends on a line with a module string, a semicolon or a closing brace. */
    private static boolean endsStatement(String line) {
        String t = line.trim();
        return t.endsWith(";")
                || t.matches(".*\\bfrom\\s+['\"][^'\"]+['\"]\\s*;?$")
                || t.matches("^import\\s+['\"].*")
                || t.endsWith("}")
                || t.endsWith(")");
    }

    private static int frontMatterEnd(String[] lines) {
        if (lines.length == 0 || !lines[0].trim().equals("---")) {
            return 0;
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].trim().equals("---")) {
                return i + 1;
            }
        }
        return 0;
    }
}
