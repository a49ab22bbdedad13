package dev.lectern.index.vector;

import dev.lectern.index.vector.InProcessVectorIndex.Strategy;
import dev.lectern.index.vector.InProcessVectorIndex.Tuning;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Recall and single-query latency of {@link InProcessVectorIndex}'s graph search against its exact scan, on the same
 * points and the same queries (a benchmark, not a test: run it with {@code bench/vector-search.sh}).
 *
 * <p>Two indexes hold the same points: one with {@link Strategy#EXACT}, one with {@link Strategy#AUTO} and
 * {@code exactBelow} 0 by default, so it walks the graph wherever a filter passes enough of the points. The graph's
 * build time (from the first point to the last graph node, on the index's one background thread) and size are
 * reported first. Then, per filter, the queries run one after another on each index: recall@limit of the graph
 * search (the share of the exact top {@code limit} it returns), latency percentiles and process CPU per query.
 *
 * <p>Points are spread over 20 books of 10 chapters, every other one in language {@code de}: the filters are none,
 * half the points (language), one book (5 %) and one chapter (0.5 %). Where the points come from:
 *
 * <ul>
 * <li>by default, random unit vectors (every direction equally likely: the hardest case for a graph, since real
 * embeddings cluster), {@code points} of them, and random queries;</li>
 * <li>with {@code -Dbench.vectors=FILE -Dbench.queries=FILE}, real embeddings written by {@link CorpusVectors} (the
 * real books' passages and the evaluation questions, through the in-process model); {@code -Dbench.mix=N} adds
 * blends of two random real passages up to N points, for the real shape at a larger scale.</li>
 * </ul>
 *
 * <p>Arguments: {@code [points=66000] [dimension=384] [queries=300] [limit=10]}; system properties
 * {@code bench.beam} (search beam widths to compare, comma-separated, default 100), {@code bench.exactBelow} (default
 * 0), {@code bench.degree} (32), {@code bench.buildBeam} (100), {@code bench.minGraphShare} (0.2).
 */
public final class InProcessSearchBench {

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 66_000;
        int dimension = args.length > 1 ? Integer.parseInt(args[1]) : 384;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Random random = new Random(42);
        List<float[]> vectors;
        List<float[]> queryVectors;
        String source;
        if (System.getProperty("bench.vectors") != null) {
            vectors = read(Path.of(System.getProperty("bench.vectors")));
            queryVectors = read(Path.of(System.getProperty("bench.queries")));
            dimension = vectors.get(0).length;
            source = "real MiniLM embeddings from " + System.getProperty("bench.vectors") + ", " + queryVectors.size()
                    + " real questions";
            int mix = Integer.getInteger("bench.mix", 0);
            if (mix > vectors.size()) {
                int real = vectors.size();
                for (int i = real; i < mix; i++) {
                    vectors.add(blend(vectors.get(random.nextInt(real)), vectors.get(random.nextInt(real)), random));
                }
                source += "; " + (mix - real) + " more points, each a blend of two real passages";
            }
        } else {
            vectors = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                vectors.add(randomVector(random, dimension));
            }
            queryVectors = new ArrayList<>();
            for (int i = 0; i < queries; i++) {
                queryVectors.add(randomVector(random, dimension));
            }
            source = "random unit vectors, random queries";
        }
        points = vectors.size();
        List<UUID> books = new ArrayList<>();
        List<UUID> chapters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            books.add(UUID.randomUUID());
        }
        for (int i = 0; i < 200; i++) {
            chapters.add(UUID.randomUUID());
        }
        List<VectorPoint> all = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            int chapter = random.nextInt(chapters.size());
            all.add(new VectorPoint(
                    UUID.randomUUID(),
                    vectors.get(i),
                    books.get(chapter / 10),
                    chapters.get(chapter),
                    1 + random.nextInt(8),
                    "intermediate",
                    i % 2 == 0 ? "en" : "de",
                    List.of("LO-" + random.nextInt(50))));
        }
        System.out.printf(
                "%,d points x %d dims (%s), %d queries, limit %d; jvector provider: %s%n",
                points,
                dimension,
                source,
                queryVectors.size(),
                limit,
                io.github.jbellis.jvector.vector.VectorizationProvider.getInstance()
                        .getClass()
                        .getSimpleName());

        InProcessVectorIndex exact = new InProcessVectorIndex(new Tuning(Strategy.EXACT, 0, 32, 100, 100, 0.2));
        load(exact, all, dimension);
        int degree = Integer.getInteger("bench.degree", 32);
        int buildBeam = Integer.getInteger("bench.buildBeam", 100);
        int exactBelow = Integer.getInteger("bench.exactBelow", 0);
        double minShare = Double.parseDouble(System.getProperty("bench.minGraphShare", "0.2"));
        long heapBefore = usedHeap();
        InProcessVectorIndex graph =
                new InProcessVectorIndex(new Tuning(Strategy.AUTO, exactBelow, degree, buildBeam, 100, minShare));
        long start = System.nanoTime();
        long cpuStart = PROCESS.getProcessCpuTime();
        load(graph, all, dimension);
        long loaded = System.nanoTime();
        while (graph.graphProgress()[0] < graph.graphProgress()[1]) {
            Thread.sleep(50);
        }
        System.out.printf(
                "graph: %,d nodes, degree %d, build beam %d: loaded in %d ms, graph complete after %.1f s"
                        + " (process CPU %.1f s); links %d MB, heap of the graph index %d MB (vectors %d MB)%n",
                graph.graphProgress()[0],
                degree,
                buildBeam,
                (loaded - start) / 1_000_000,
                (System.nanoTime() - start) / 1e9,
                (PROCESS.getProcessCpuTime() - cpuStart) / 1e9,
                graph.graphBytes() >> 20,
                (usedHeap() - heapBefore) >> 20,
                (long) points * dimension * 4 >> 20);

        List<Case> cases = List.of(
                new Case("no filter", VectorFilter.NONE),
                new Case("half (language)", new VectorFilter(null, null, null, null, List.of("en"), null)),
                new Case("one book (5 %)", new VectorFilter(books.get(3), null, null, null, null, null)),
                new Case(
                        "one chapter (0.5 %)",
                        new VectorFilter(null, List.of(chapters.get(35)), null, null, null, null)));
        // Warm-up: let the JIT compile both paths before anything is timed.
        for (int i = 0; i < 3; i++) {
            for (Case c : cases) {
                run(exact, queryVectors, Math.min(queryVectors.size(), 200), limit, c.filter());
                run(graph, queryVectors, Math.min(queryVectors.size(), 200), limit, c.filter());
            }
        }
        int n = Math.max(queries, queryVectors.size());
        System.out.printf(
                "%-20s %-10s %7s %8s %8s %8s %8s %9s%n",
                "filter", "search", "recall", "p50 ms", "p90 ms", "p99 ms", "mean ms", "CPU/q ms");
        for (Case c : cases) {
            Run truth = run(exact, queryVectors, n, limit, c.filter());
            report(c.name(), "exact", truth, 1.0);
            for (String beam : System.getProperty("bench.beam", "100").split(",")) {
                graph.searchBeamWidth(Integer.parseInt(beam.trim()));
                Run approx = run(graph, queryVectors, n, limit, c.filter());
                report(c.name(), "graph/" + beam.trim(), approx, recall(truth, approx));
            }
        }
        System.exit(0);
    }

    private record Case(String name, VectorFilter filter) {}

    private record Run(List<List<VectorHit>> hits, long[] nanos, long cpuPerQuery) {}

    private static void load(InProcessVectorIndex index, List<VectorPoint> points, int dimension) {
        index.ensure("bench", dimension).await().indefinitely();
        for (int i = 0; i < points.size(); i += 2_000) {
            index.upsert(points.subList(i, Math.min(points.size(), i + 2_000)))
                    .await()
                    .indefinitely();
        }
    }

    private static Run run(InProcessVectorIndex index, List<float[]> queries, int n, int limit, VectorFilter filter) {
        long[] nanos = new long[n];
        List<List<VectorHit>> hits = new ArrayList<>(n);
        long cpuStart = PROCESS.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
            float[] query = queries.get(i % queries.size());
            long start = System.nanoTime();
            hits.add(index.search(query, limit, filter).await().atMost(Duration.ofSeconds(10)));
            nanos[i] = System.nanoTime() - start;
        }
        return new Run(hits, nanos, (PROCESS.getProcessCpuTime() - cpuStart) / n);
    }

    /** The share of the exact top-k ids the graph search returned, over all queries. */
    private static double recall(Run truth, Run approx) {
        long found = 0;
        long expected = 0;
        for (int i = 0; i < truth.hits().size(); i++) {
            Set<UUID> ids = new HashSet<>();
            truth.hits().get(i).forEach(h -> ids.add(h.id()));
            expected += ids.size();
            found += approx.hits().get(i).stream()
                    .filter(h -> ids.contains(h.id()))
                    .count();
        }
        return expected == 0 ? 1 : (double) found / expected;
    }

    private static void report(String filter, String search, Run run, double recall) {
        long[] nanos = run.nanos().clone();
        Arrays.sort(nanos);
        System.out.printf(
                "%-20s %-10s %7.4f %8.3f %8.3f %8.3f %8.3f %9.3f%n",
                filter,
                search,
                recall,
                at(nanos, 0.50),
                at(nanos, 0.90),
                at(nanos, 0.99),
                Arrays.stream(nanos).average().orElse(0) / 1e6,
                run.cpuPerQuery() / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * {@code w·a + (1 − w)·b}, w uniform in [0.3, 0.7]: a passage about two real passages' subjects, so the extra
     * points follow the real embeddings' shape without being near copies of any one point.
     */
    private static float[] blend(float[] a, float[] b, Random random) {
        float w = 0.3f + 0.4f * random.nextFloat();
        float[] v = new float[a.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = w * a[d] + (1 - w) * b[d];
        }
        return v;
    }

    private static float[] randomVector(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    /** {@link CorpusVectors}' format: int count, int dimension, then the floats (big-endian). */
    static List<float[]> read(Path file) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            int dimension = in.readInt();
            List<float[]> vectors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                float[] v = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    v[d] = in.readFloat();
                }
                vectors.add(v);
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
