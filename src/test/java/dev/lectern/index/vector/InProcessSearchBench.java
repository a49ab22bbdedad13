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
 * Recall and single-query latency of {@link InProcessVectorIndex}'s shortlists against its exact scan, on the same
 * points and the same queries (a benchmark, not a test: run it with {@code bench/vector-search.sh}).
 *
 * <p>Two indexes hold the same points: one with {@link Strategy#EXACT}, one with {@link Strategy#AUTO} and
 * {@code exactBelow} 0 by default, so it takes a shortlist wherever that is smaller than the points a filter passes.
 * Per filter, the queries run one after another on each index, the second once per shortlist size: recall@limit of
 * the shortlist search (the share of the exact top {@code limit} it returns), latency percentiles and process CPU per
 * query.
 *
 * <p>Points are spread over 20 books of 10 chapters, every other one in language {@code de}: the filters are none,
 * half the points (language), one book (5 %) and one chapter (0.5 %). Where the points come from:
 *
 * <ul>
 * <li>by default, random unit vectors (every direction equally likely: the hardest case for a graph, since real
 * embeddings cluster), {@code points} of them, and random queries;</li>
 * <li>with {@code -Dbench.vectors=FILE -Dbench.queries=FILE}, real embeddings written by {@link CorpusVectors} (the
 * real books' passages and the evaluation questions, through the in-process model); {@code -Dbench.copies=N} adds
 * N perturbed copies of each of {@code bench.copySources} (59) random real passages, as {@code bench/seed-chunks.sql}
 * does (uniform noise of width {@code bench.copyAmp}, 0.05, per dimension: cosine about 0.96 to the passage);
 * {@code -Dbench.mix=N} then adds blends of two random real passages up to N points, for the real shape at a larger
 * scale.</li>
 * </ul>
 *
 * <p>Arguments: {@code [points=66000] [dimension=384] [queries=300] [limit=10]}; system properties
 * {@code bench.shortlist} (points re-scored per hit to compare, comma-separated, default 50) and
 * {@code bench.exactBelow} (default 0).
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
            int copies = Integer.getInteger("bench.copies", 0);
            if (copies > 0) {
                int sources = Integer.getInteger("bench.copySources", 59);
                float amp = Float.parseFloat(System.getProperty("bench.copyAmp", "0.05"));
                int real = vectors.size();
                for (int c = 0; c < sources; c++) {
                    float[] origin = vectors.get(random.nextInt(real));
                    for (int k = 0; k < copies; k++) {
                        vectors.add(perturb(origin, amp, random));
                    }
                }
                source += "; " + sources * copies + " perturbed copies of " + sources + " passages (width " + amp + ")";
            }
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
                "%,d points x %d dims (%s), %d queries, limit %d%n",
                points, dimension, source, queryVectors.size(), limit);

        InProcessVectorIndex exact = new InProcessVectorIndex(new Tuning(Strategy.EXACT, 0, 1));
        load(exact, all, dimension);
        int exactBelow = Integer.getInteger("bench.exactBelow", 0);
        long heapBefore = usedHeap();
        InProcessVectorIndex shortlisted = new InProcessVectorIndex(new Tuning(Strategy.AUTO, exactBelow, 50));
        long start = System.nanoTime();
        load(shortlisted, all, dimension);
        System.out.printf(
                "shortlist index: loaded in %d ms, heap %d MB (vectors %d MB)%n",
                (System.nanoTime() - start) / 1_000_000,
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
                run(shortlisted, queryVectors, Math.min(queryVectors.size(), 200), limit, c.filter());
            }
        }
        int n = Math.max(queries, queryVectors.size());
        System.out.printf(
                "%-20s %-14s %7s %8s %8s %8s %8s %9s%n",
                "filter", "search", "recall", "p50 ms", "p90 ms", "p99 ms", "mean ms", "CPU/q ms");
        for (Case c : cases) {
            Run truth = run(exact, queryVectors, n, limit, c.filter());
            report(c.name(), "exact", truth, 1.0);
            for (String perHit : System.getProperty("bench.shortlist", "50").split(",")) {
                shortlisted.shortlistPerHit(Integer.parseInt(perHit.trim()));
                Run approx = run(shortlisted, queryVectors, n, limit, c.filter());
                report(c.name(), "shortlist/" + perHit.trim(), approx, recall(truth, approx));
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

    /** The share of the exact top-k ids the shortlist search returned, over all queries. */
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
                "%-20s %-14s %7.4f %8.3f %8.3f %8.3f %8.3f %9.3f%n",
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

    /** bench/seed-chunks.sql's perturbation: uniform noise in [-amp/2, amp/2] per dimension. */
    private static float[] perturb(float[] origin, float amp, Random random) {
        float[] v = new float[origin.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = origin[d] + (random.nextFloat() - 0.5f) * amp;
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
