package dev.lectern.index.vector;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Single-query latency of {@link InProcessVectorIndex} (a benchmark, not a test: run it with
 * {@code bench/vector-search.sh}). Fills the index with random unit vectors spread over 20 books, 10 chapters each,
 * then times searches one after another: unfiltered, filtered to one book (1/20 of the points), and filtered to one
 * chapter. Each timing is {@code search(...).await()} from a plain thread, so it includes the hop to the worker pool.
 *
 * <p>Arguments: {@code [points=50000] [dimension=384] [queries=500] [limit=10]}.
 */
public final class InProcessSearchBench {

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int dimension = args.length > 1 ? Integer.parseInt(args[1]) : 384;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Random random = new Random(42);
        List<UUID> books = new ArrayList<>();
        List<UUID> chapters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            books.add(UUID.randomUUID());
        }
        for (int i = 0; i < 200; i++) {
            chapters.add(UUID.randomUUID());
        }

        InProcessVectorIndex index = new InProcessVectorIndex();
        index.ensure("bench", dimension).await().indefinitely();
        long loadStart = System.nanoTime();
        List<VectorPoint> batch = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            int chapter = random.nextInt(chapters.size());
            batch.add(new VectorPoint(
                    UUID.randomUUID(),
                    randomVector(random, dimension),
                    books.get(chapter / 10),
                    chapters.get(chapter),
                    1 + random.nextInt(8),
                    "intermediate",
                    "en",
                    List.of("LO-" + random.nextInt(50))));
            if (batch.size() == 1_000) {
                index.upsert(batch).await().indefinitely();
                batch = new ArrayList<>();
            }
        }
        index.upsert(batch).await().indefinitely();
        System.out.printf(
                "loaded %,d points x %d dims in %d ms (%.0f MB of vectors)%n",
                points, dimension, (System.nanoTime() - loadStart) / 1_000_000, points * (double) dimension * 4 / 1e6);

        VectorFilter oneBook = new VectorFilter(books.get(3), null, null, null, null, null);
        VectorFilter oneChapter = new VectorFilter(null, List.of(chapters.get(35)), null, null, null, null);
        // Warm-up: let the JIT compile the scan before anything is timed.
        time(index, random, dimension, Math.max(200, queries / 2), limit, VectorFilter.NONE);
        report("no filter", time(index, random, dimension, queries, limit, VectorFilter.NONE));
        report("one book (5 %)", time(index, random, dimension, queries, limit, oneBook));
        report("one chapter (0.5 %)", time(index, random, dimension, queries, limit, oneChapter));
        System.exit(0);
    }

    private static long[] time(
            InProcessVectorIndex index, Random random, int dimension, int queries, int limit, VectorFilter filter) {
        long[] nanos = new long[queries + 1];
        long cpuStart = PROCESS.getProcessCpuTime();
        for (int i = 0; i < queries; i++) {
            float[] query = randomVector(random, dimension);
            long start = System.nanoTime();
            List<VectorHit> hits = index.search(query, limit, filter).await().atMost(Duration.ofSeconds(10));
            nanos[i] = System.nanoTime() - start;
            if (hits.isEmpty()) {
                throw new IllegalStateException("a search found nothing");
            }
        }
        nanos[queries] = (PROCESS.getProcessCpuTime() - cpuStart) / queries;
        return nanos;
    }

    /** Latencies, then the process CPU time per query (less sensitive than wall time to other load on the machine). */
    private static void report(String name, long[] timing) {
        long[] nanos = Arrays.copyOf(timing, timing.length - 1);
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf(
                "%-20s queries %4d  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %6.2f ms  mean %6.2f ms"
                        + "  CPU/query %6.2f ms%n",
                name,
                nanos.length,
                at(nanos, 0.50),
                at(nanos, 0.90),
                at(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6,
                mean,
                timing[timing.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static float[] randomVector(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }
}
