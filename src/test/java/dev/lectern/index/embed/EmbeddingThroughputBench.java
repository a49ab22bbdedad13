package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.catalogue.content.MarkdownChapterParser;
import dev.lectern.catalogue.content.ParsedChapter;
import dev.lectern.index.chunk.Chunk;
import dev.lectern.index.chunk.MarkdownChunker;
import dev.lectern.index.chunk.SectionSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bare in-process embedding throughput on the sample book, printed, never asserted: not a test (surefire's default
 * includes do not match the name), run it on purpose with
 * {@code ./mvnw -B test -Dtest=EmbeddingThroughputBench [-Dbench.threads=2 -Dbench.chunks=200 -Dbench.rounds=3]}.
 *
 * <p>With {@code -Dbench.texts=file.json} (a JSON array of strings) it embeds exactly those texts instead, all of them
 * in each round: {@code bench/ingest.sh} passes the texts the pipeline embedded (heading path and chunk text, as
 * {@code ChapterIndexer.embeddingText} builds them), so the bare model and the pipeline are timed on the same chunks.
 */
class EmbeddingThroughputBench {

    @Test
    void embedTheSampleBook() throws IOException {
        int threads = Integer.getInteger("bench.threads", 2);
        int count = Integer.getInteger("bench.chunks", 200);
        int rounds = Integer.getInteger("bench.rounds", 3);
        String textsFile = System.getProperty("bench.texts");
        List<String> texts = textsFile == null
                ? sampleBookChunks(count)
                : List.of(new ObjectMapper().readValue(Path.of(textsFile).toFile(), String[].class));
        MiniLmTokenCounter tokens = new MiniLmTokenCounter();
        double meanTokens = texts.stream().mapToInt(tokens::count).average().orElse(0);

        try (OnnxEmbedder embedder = new OnnxEmbedder(threads, 32)) {
            long start = System.nanoTime();
            embedder.embed(texts.subList(0, Math.min(20, texts.size()))).await().atMost(Duration.ofMinutes(5));
            System.out.printf(
                    "[bench] model load + 20 warm-up chunks: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            for (int round = 1; round <= rounds; round++) {
                start = System.nanoTime();
                long cpuStart = processCpuNanos();
                List<float[]> vectors = embedder.embed(texts).await().atMost(Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                assertThat(vectors)
                        .hasSize(texts.size())
                        .allSatisfy(v -> assertThat(v).hasSize(384));
                System.out.printf(
                        "[bench] round %d: %d chunks (mean %.0f tokens) on %d threads in %.2f s = %.1f chunks/s"
                                + " (process CPU %.1f s = %.1f ms/chunk)%n",
                        round,
                        texts.size(),
                        meanTokens,
                        threads,
                        seconds,
                        texts.size() / seconds,
                        cpuSeconds,
                        cpuSeconds * 1000 / texts.size());
            }
        }
    }

    /** CPU time of the whole JVM (embedding threads included), less sensitive to other load than wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The sample book's chapters chunked with the defaults, repeated in order until there are {@code count}. */
    private static List<String> sampleBookChunks(int count) throws IOException {
        MarkdownChapterParser parser = new MarkdownChapterParser();
        MarkdownChunker chunker = new MarkdownChunker(
                new MiniLmTokenCounter(),
                MarkdownChunker.DEFAULT_TARGET_TOKENS,
                MarkdownChunker.DEFAULT_OVERLAP_TOKENS);
        List<String> book = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/sample-book/docs"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                ParsedChapter chapter = parser.parse(Files.readString(file));
                List<SectionSource> sections = chapter.sections().stream()
                        .map(s -> new SectionSource(s.number(), s.title(), s.anchor(), s.body()))
                        .toList();
                chunker.chunk(chapter.title(), sections).stream()
                        .map(Chunk::text)
                        .forEach(book::add);
            }
        }
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(book.get(i % book.size()));
        }
        return texts;
    }
}
