package dev.lectern.catalogue.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.platform.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A Docusaurus-style docs folder read from a zip: Markdown and MDX files in nested folders, ordered the way
 * the Docusaurus sidebar orders them ({@code _category_.json} positions for folders, {@code sidebar_position}
 * front matter, then names), each given a chapter slug derived from its path.
 */
public final class DocsFolder {

    /** One chapter file: its path in the zip, derived slug, sidebar rank and (MDX-cleaned) Markdown. */
    public record DocFile(String path, String slug, int rank, String markdown) {}

    private static final Pattern NUMBER_PREFIX = Pattern.compile("^\\d+[-_. ]+");
    private static final Pattern SIDEBAR_POSITION =
            Pattern.compile("(?m)^sidebar_position:\\s*(-?\\d+(?:\\.\\d+)?)\\s*$");
    private static final Pattern SLUG_FRONT_MATTER =
            Pattern.compile("(?m)^(?:slug|id):\\s*['\"]?/?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DocsFolder() {}

    /**
     * Reads the zip, refusing archives with more than {@code maxFiles} entries or {@code maxBytes} uncompressed
     * bytes (zip bombs) and entries that escape the folder.
     */
    public static List<DocFile> read(InputStream zip, int maxFiles, long maxBytes) {
        Map<String, String> markdown = new HashMap<>();
        Map<String, Double> folderPositions = new HashMap<>();
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(zip, StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > maxFiles) {
                    throw ProblemException.payloadTooLarge("the archive has more than " + maxFiles + " entries");
                }
                String name = entry.getName().replace('\\', '/');
                if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
                    throw ProblemException.badRequest("archive entry '" + name + "' points outside the folder");
                }
                if (entry.isDirectory()
                        || name.startsWith("__MACOSX/")
                        || name.contains("/.")
                        || name.startsWith(".")) {
                    continue;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                boolean isDoc = lower.endsWith(".md") || lower.endsWith(".mdx");
                boolean isCategory = lower.endsWith("_category_.json");
                if (!isDoc && !isCategory) {
                    continue;
                }
                byte[] bytes = readLimited(in, maxBytes - total);
                total += bytes.length;
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (isDoc) {
                    markdown.put(name, lower.endsWith(".mdx") ? stripMdxModuleLines(text) : text);
                } else {
                    folderPositions.put(parent(name), categoryPosition(text));
                }
            }
        } catch (ZipException e) {
            throw ProblemException.badRequest("the body is not a valid zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("could not read the zip archive: " + e.getMessage());
        }
        if (entries == 0) {
            throw ProblemException.badRequest("the body is not a zip archive, or the archive is empty");
        }
        if (markdown.isEmpty()) {
            throw ProblemException.badRequest("the archive holds no .md or .mdx files");
        }
        return order(markdown, folderPositions);
    }

    private static List<DocFile> order(Map<String, String> markdown, Map<String, Double> folderPositions) {
        String root = commonRoot(markdown.keySet());
        List<String> paths = new ArrayList<>(markdown.keySet());
        paths.sort(Comparator.comparing((String p) -> sortKey(p, root, markdown.get(p), folderPositions)));
        List<DocFile> files = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        for (String path : paths) {
            String text = markdown.get(path);
            var explicit = SLUG_FRONT_MATTER.matcher(frontMatter(text));
            String slug = explicit.find() ? explicit.group(1) : slugOf(path.substring(root.length()));
            String unique = slug;
            for (int i = 2; !slugs.add(unique); i++) {
                unique = slug + "-" + i;
            }
            files.add(new DocFile(path, unique, files.size() + 1, text));
        }
        return files;
    }

    /** Sort key: each folder by (category position, name), then the file by (sidebar_position, name). */
    private static String sortKey(String path, String root, String text, Map<String, Double> folderPositions) {
        StringBuilder key = new StringBuilder();
        String[] parts = path.substring(root.length()).split("/");
        String folder = root.isEmpty() ? "" : root.substring(0, root.length() - 1);
        for (int i = 0; i < parts.length - 1; i++) {
            folder = folder.isEmpty() ? parts[i] : folder + "/" + parts[i];
            key.append(position(folderPositions.get(folder))).append(parts[i]).append('/');
        }
        var m = SIDEBAR_POSITION.matcher(frontMatter(text));
        key.append(position(m.find() ? Double.valueOf(m.group(1)) : null)).append(parts[parts.length - 1]);
        return key.toString();
    }

    private static String position(Double p) {
        return String.format(Locale.ROOT, "%012.3f|", p == null ? 99999999.0 : p + 1000000.0);
    }

    private static String frontMatter(String text) {
        String t = text.stripLeading();
        if (!t.startsWith("---")) {
            return "";
        }
        int end = t.indexOf("\n---", 3);
        return end < 0 ? "" : t.substring(0, end);
    }

    static String slugOf(String relativePath) {
        String noExt = relativePath.replaceAll("\\.(md|mdx)$", "");
        List<String> parts = new ArrayList<>();
        for (String segment : noExt.split("/")) {
            String cleaned = NUMBER_PREFIX.matcher(segment).replaceFirst("");
            if (cleaned.equalsIgnoreCase("index") || cleaned.equalsIgnoreCase("readme")) {
                continue;
            }
            String slug = cleaned.toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("(^-+|-+$)", "");
            if (!slug.isEmpty()) {
                parts.add(slug);
            }
        }
        String slug = String.join("-", parts);
        if (slug.isEmpty()) {
            slug = "index";
        }
        return slug.length() > 100 ? slug.substring(0, 100).replaceAll("-+$", "") : slug;
    }

    private static String commonRoot(Set<String> paths) {
        String first = paths.iterator().next();
        int slash = first.indexOf('/');
        if (slash < 0) {
            return "";
        }
        String root = first.substring(0, slash + 1);
        return paths.stream().allMatch(p -> p.startsWith(root)) ? root : "";
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static Double categoryPosition(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.path("position").isNumber()
                    ? node.path("position").asDouble()
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** MDX ESM lines ({@code import X from '...'}, {@code export ...}) are build instructions, not content. */
    static String stripMdxModuleLines(String text) {
        StringBuilder out = new StringBuilder();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                inFence = !inFence;
            }
            if (!inFence && (trimmed.startsWith("import ") || trimmed.startsWith("export ")) && !line.startsWith(" ")) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static byte[] readLimited(InputStream in, long remaining) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + (long) n > remaining) {
                throw ProblemException.payloadTooLarge("the archive expands to more than the import limit");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
