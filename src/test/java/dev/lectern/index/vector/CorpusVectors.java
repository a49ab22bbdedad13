package dev.lectern.index.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.index.embed.OnnxEmbedder;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Real embeddings for {@link InProcessSearchBench}'s recall runs (a tool, not a test): every passage of the real books
 * in {@code shared/corpora} at two grains, paragraphs (blank-line blocks, front matter dropped, long ones cut at about
 * 120 words) and their sentences of at least 8 words, each text once; and the evaluation questions of
 * {@code bench/eval/*.json} as queries. All embedded by the in-process all-MiniLM-L6-v2 on two threads, written as
 * {@code int count, int dimension, floats} (big-endian) to {@code OUT/corpus-vectors.bin} and
 * {@code OUT/corpus-queries.bin}. A sentence and its paragraph are related (cosine about 0.6 to 0.8), not copies, so
 * recall@10 stays well defined; no passage is a perturbed copy of another (unlike bench/seed-chunks.sql's).
 *
 * <p>Arguments: {@code CORPORA_DIR EVAL_DIR OUT_DIR}. Takes a few minutes on two cores (bench/vector-search.sh
 * --real runs it once and keeps the files).
 */
public final class CorpusVectors {

    public static void main(String[] args) throws IOException {
        Path corpora = Path.of(args[0]);
        Path eval = Path.of(args[1]);
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        Set<String> passages = new LinkedHashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpora)) {
            files = walk.filter(
                            p -> p.toString().endsWith(".md") || p.toString().endsWith(".mdx"))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            String text = Files.readString(file).replaceFirst("(?s)^---\n.*?\n---\n", "");
            for (String block : text.split("\n\\s*\n")) {
                String paragraph = block.strip();
                if (paragraph.split("\\s+").length < 4) {
                    continue;
                }
                passages.addAll(cut(paragraph, 120));
                if (!paragraph.startsWith("```")) {
                    for (String sentence : paragraph.split("(?<=[.!?])\\s+")) {
                        if (sentence.split("\\s+").length >= 8) {
                            passages.add(sentence.strip());
                        }
                    }
                }
            }
        }
        List<String> questions = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> walk = Files.list(eval)) {
            for (Path file :
                    walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = json.readTree(file.toFile());
                JsonNode list = root.isArray() ? root : root.path("questions");
                list.forEach(q -> questions.add(q.path("question").asText()));
            }
        }
        System.out.printf("%d files, %d passages, %d questions%n", files.size(), passages.size(), questions.size());
        try (OnnxEmbedder embedder = new OnnxEmbedder(2, 32)) {
            long start = System.nanoTime();
            write(out.resolve("corpus-vectors.bin"), embed(embedder, new ArrayList<>(passages)));
            System.out.printf("passages embedded in %.0f s%n", (System.nanoTime() - start) / 1e9);
            List<float[]> queries = new ArrayList<>();
            for (String q : questions) {
                queries.add(embedder.embedQuery(q).await().atMost(Duration.ofMinutes(1)));
            }
            write(out.resolve("corpus-queries.bin"), queries);
        } catch (Exception e) {
            throw new IOException(e);
        }
        System.exit(0);
    }

    private static List<String> cut(String paragraph, int words) {
        String[] w = paragraph.split("\\s+");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < w.length; i += words) {
            parts.add(String.join(" ", List.of(w).subList(i, Math.min(w.length, i + words))));
        }
        return parts;
    }

    private static List<float[]> embed(OnnxEmbedder embedder, List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i += 512) {
            vectors.addAll(embedder.embed(texts.subList(i, Math.min(texts.size(), i + 512)))
                    .await()
                    .atMost(Duration.ofMinutes(30)));
            System.out.printf("  %d / %d%n", vectors.size(), texts.size());
        }
        return vectors;
    }

    private static void write(Path file, List<float[]> vectors) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(vectors.size());
            out.writeInt(vectors.get(0).length);
            for (float[] v : vectors) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
    }
}
