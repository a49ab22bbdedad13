package dev.lectern.index.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.index.vector.InProcessVectorIndex.Strategy;
import dev.lectern.index.vector.InProcessVectorIndex.Tuning;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The in-process index with its graph: the whole {@link VectorIndexContract} with every search walking the graph
 * (grown inside each write, so it is always complete), then what only the graph brings: the choice between walk and
 * scan, recall against the exact scan, dead slots, packing, slots the graph has not taken in yet, and concurrent
 * growth.
 */
class InProcessGraphIndexTest {

    /** Every search that can walk does: no exact threshold, no least filter share. */
    static final Tuning ALWAYS_WALK = new Tuning(Strategy.AUTO, 0, 16, 64, 64, 0);

    static final int DIM = 32;

    /** The contract, answered by graph walks. */
    @Nested
    class Contract extends VectorIndexContract {

        @Override
        protected VectorIndex newIndex() {
            return new InProcessVectorIndex(ALWAYS_WALK, Runnable::run);
        }

        @Test
        void searchesWalkTheGraph() {
            await(index.ensure(MODEL, 4));
            await(index.upsert(List.of(point(UUID.randomUUID(), v(1, 0, 0, 0)))));
            await(index.search(v(1, 0, 0, 0), 1, VectorFilter.NONE));
            assertThat(((InProcessVectorIndex) index).searchCounts()).containsExactly(1L, 0L);
        }
    }

    @Test
    void recallAtTenAgainstTheExactScanIsAtLeastNinetyFivePercent() {
        Random random = new Random(7);
        List<VectorPoint> points = clustered(6_000, random);
        InProcessVectorIndex graph = loaded(new InProcessVectorIndex(Tuning.DEFAULT.withExactBelow(1_000)), points);
        InProcessVectorIndex exact = loaded(exactIndex(), points);
        awaitGraph(graph);

        long found = 0;
        int queries = 200;
        for (int i = 0; i < queries; i++) {
            float[] query = noisy(points.get(random.nextInt(points.size())).vector(), 0.3f, random);
            Set<UUID> truth = ids(exact, query, 10, VectorFilter.NONE);
            found += ids(graph, query, 10, VectorFilter.NONE).stream()
                    .filter(truth::contains)
                    .count();
        }
        assertThat(graph.searchCounts()[0]).isEqualTo(queries);
        assertThat(found / (10.0 * queries)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void smallIndexesAndSelectiveFiltersScanWideFiltersWalk() {
        Random random = new Random(3);
        List<VectorPoint> points = new ArrayList<>();
        UUID bigBook = UUID.randomUUID();
        UUID smallBook = UUID.randomUUID();
        UUID chapter = UUID.randomUUID();
        for (int i = 0; i < 2_000; i++) {
            // 90 % in one book, 10 % in another
            points.add(new VectorPoint(
                    UUID.randomUUID(),
                    unit(random),
                    i % 10 == 0 ? smallBook : bigBook,
                    chapter,
                    1,
                    null,
                    "en",
                    List.of()));
        }
        InProcessVectorIndex index = loaded(
                new InProcessVectorIndex(new Tuning(Strategy.AUTO, 500, 16, 64, 64, 0.2), Runnable::run), points);
        InProcessVectorIndex exact = loaded(exactIndex(), points);
        float[] query = unit(random);

        search(index, query, VectorFilter.NONE);
        assertThat(index.searchCounts()).as("2,000 points > 500: walk").containsExactly(1L, 0L);
        VectorFilter small = new VectorFilter(smallBook, null, null, null, null, null);
        assertThat(ids(index, query, 10, small))
                .as("200 matches <= 500: an exact scan, exactly right")
                .isEqualTo(ids(exact, query, 10, small));
        assertThat(index.searchCounts()).containsExactly(1L, 1L);
        search(index, query, new VectorFilter(bigBook, null, null, null, null, null));
        assertThat(index.searchCounts()).as("1,800 matches, 90 %: walk").containsExactly(2L, 1L);

        InProcessVectorIndex forced =
                loaded(new InProcessVectorIndex(new Tuning(Strategy.EXACT, 0, 16, 64, 64, 0), Runnable::run), points);
        search(forced, query, VectorFilter.NONE);
        assertThat(forced.searchCounts()).containsExactly(0L, 1L);
        assertThat(forced.graphProgress()[0]).as("exact builds no graph").isZero();
    }

    @Test
    void aWideFilterWalkReturnsOnlyMatchingPoints() {
        Random random = new Random(5);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            points.add(new VectorPoint(
                    UUID.randomUUID(), unit(random), UUID.randomUUID(), null, 1 + i % 3, null, null, List.of()));
        }
        InProcessVectorIndex index = loaded(new InProcessVectorIndex(ALWAYS_WALK, Runnable::run), points);
        InProcessVectorIndex exact = loaded(exactIndex(), points);
        VectorFilter twoSections = new VectorFilter(null, null, List.of(1, 2), null, null, null);
        Set<UUID> allowed = new HashSet<>();
        points.stream().filter(p -> p.sectionNumber() != 3).forEach(p -> allowed.add(p.id()));
        long found = 0;
        for (int i = 0; i < 50; i++) {
            float[] query = unit(random);
            Set<UUID> hits = ids(index, query, 10, twoSections);
            assertThat(hits).hasSize(10).allMatch(allowed::contains);
            Set<UUID> truth = ids(exact, query, 10, twoSections);
            found += hits.stream().filter(truth::contains).count();
        }
        assertThat(index.searchCounts()[0]).isEqualTo(50);
        assertThat(found / 500.0).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void deletedAndMovedPointsAreNeverFoundAndPackingKeepsTheRest() {
        Random random = new Random(9);
        List<VectorPoint> points = clustered(2_000, random);
        InProcessVectorIndex index = loaded(new InProcessVectorIndex(ALWAYS_WALK, Runnable::run), points);
        VectorPoint target = points.get(17);

        // A new vector for the same id: found at its new place only, once.
        float[] moved = unit(random);
        await(index.upsert(List.of(withVector(target, moved))));
        assertThat(hitIds(index, moved, 1)).containsExactly(target.id());
        assertThat(hitIds(index, target.vector(), 50)).doesNotHaveDuplicates();
        assertThat(await(index.count())).isEqualTo(2_000);

        // Delete the nearest neighbours of a query: the walk passes through them but returns the next ones.
        float[] query = points.get(40).vector();
        List<UUID> before = hitIds(index, query, 20);
        await(index.delete(before.subList(0, 10)));
        assertThat(hitIds(index, query, 10)).doesNotContainAnyElementsOf(before.subList(0, 10));
        assertThat(await(index.count())).isEqualTo(1_990);

        // Deleting more than a quarter packs the slots into a new generation with a new graph.
        int slotsBefore = index.graphProgress()[1];
        List<UUID> gone = points.subList(100, 700).stream().map(VectorPoint::id).toList();
        await(index.delete(gone));
        int[] progress = index.graphProgress();
        assertThat(progress[1]).isLessThan(slotsBefore).isEqualTo((int) (long) await(index.count()));
        assertThat(progress[0]).as("the new graph holds every live slot").isEqualTo(progress[1]);
        InProcessVectorIndex exact = loaded(exactIndex(), List.of());
        List<VectorPoint> live = new ArrayList<>(points);
        live.removeIf(p -> gone.contains(p.id()) || before.subList(0, 10).contains(p.id()) || p == target);
        live.add(withVector(target, moved));
        await(exact.upsert(live));
        for (int i = 0; i < 20; i++) {
            float[] q = points.get(random.nextInt(points.size())).vector();
            assertThat(hitIds(index, q, 1)).isEqualTo(hitIds(exact, q, 1));
        }
    }

    @Test
    void replaceChapterOnTheGraphKeepsExactlyTheNewPoints() {
        Random random = new Random(13);
        UUID chapter = UUID.randomUUID();
        List<VectorPoint> points = new ArrayList<>(clustered(1_000, random));
        List<VectorPoint> oldChapter = IntStream.range(0, 30)
                .mapToObj(i -> new VectorPoint(
                        UUID.randomUUID(), unit(random), UUID.randomUUID(), chapter, 1, null, null, List.of()))
                .toList();
        points.addAll(oldChapter);
        InProcessVectorIndex index = loaded(new InProcessVectorIndex(ALWAYS_WALK, Runnable::run), points);
        List<VectorPoint> newChapter = new ArrayList<>(oldChapter.subList(0, 5));
        for (int i = 0; i < 10; i++) {
            newChapter.add(new VectorPoint(
                    UUID.randomUUID(), unit(random), UUID.randomUUID(), chapter, 2, null, null, List.of()));
        }
        await(index.replaceChapter(chapter, newChapter));
        await(index.replaceChapter(chapter, newChapter));

        VectorFilter inChapter = new VectorFilter(null, List.of(chapter), null, null, null, null);
        assertThat(new HashSet<>(hitIds(index, unit(random), 100, inChapter)))
                .isEqualTo(
                        new HashSet<>(newChapter.stream().map(VectorPoint::id).toList()));
        assertThat(await(index.count())).isEqualTo(1_000 + 15);
    }

    @Test
    void pointsTheGraphHasNotTakenInYetAreScanned() {
        Random random = new Random(17);
        Queue<Runnable> growth = new ArrayDeque<>();
        InProcessVectorIndex index = new InProcessVectorIndex(ALWAYS_WALK, growth::add);
        loaded(index, clustered(1_500, random));
        runAll(growth);
        assertThat(index.graphProgress()).containsExactly(1_500, 1_500);

        List<VectorPoint> fresh = clustered(20, random);
        await(index.upsert(fresh));
        assertThat(index.graphProgress()).containsExactly(1_500, 1_520);
        for (VectorPoint p : fresh) {
            assertThat(hitIds(index, p.vector(), 1)).containsExactly(p.id());
        }
        assertThat(index.searchCounts()[0]).isEqualTo(20);
        runAll(growth);
        assertThat(index.graphProgress()).containsExactly(1_520, 1_520);
    }

    @Test
    void theGraphGrowsInTheBackgroundWhileWritersAndReadersRun() throws Exception {
        Random random = new Random(23);
        List<VectorPoint> kept = clustered(3_000, random);
        List<VectorPoint> dropped = clustered(1_000, random);
        InProcessVectorIndex index = new InProcessVectorIndex(ALWAYS_WALK);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            await(index.ensure(VectorIndexContract.MODEL, DIM));
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int offset = t;
                work.add(pool.submit(() -> {
                    for (int i = offset; i < kept.size(); i += 2) {
                        await(index.upsert(List.of(kept.get(i))));
                        if (i < dropped.size()) {
                            await(index.upsert(List.of(dropped.get(i))));
                            await(index.delete(List.of(dropped.get(i).id())));
                        }
                    }
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        assertThat(await(index.search(kept.get(i).vector(), 5, VectorFilter.NONE)))
                                .hasSizeLessThanOrEqualTo(5)
                                .doesNotContainNull();
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get(120, TimeUnit.SECONDS);
            }
            awaitGraph(index);
            assertThat(await(index.count())).isEqualTo(kept.size());
            Set<UUID> droppedIds = new HashSet<>();
            dropped.forEach(p -> droppedIds.add(p.id()));
            for (VectorPoint p : kept.subList(0, 200)) {
                List<UUID> hits = hitIds(index, p.vector(), 10);
                assertThat(hits).doesNotContainAnyElementsOf(droppedIds);
                assertThat(hits.get(0)).isEqualTo(p.id());
            }
        } finally {
            pool.shutdownNow();
            index.close();
        }
    }

    // --- helpers

    private static InProcessVectorIndex exactIndex() {
        return new InProcessVectorIndex(new Tuning(Strategy.EXACT, 0, 16, 64, 64, 0), Runnable::run);
    }

    private static InProcessVectorIndex loaded(InProcessVectorIndex index, List<VectorPoint> points) {
        await(index.ensure(
                VectorIndexContract.MODEL,
                points.isEmpty() ? DIM : points.get(0).vector().length));
        for (int i = 0; i < points.size(); i += 500) {
            await(index.upsert(points.subList(i, Math.min(points.size(), i + 500))));
        }
        return index;
    }

    private static void awaitGraph(InProcessVectorIndex index) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (index.graphProgress()[0] < index.graphProgress()[1]) {
            assertThat(System.nanoTime()).as("graph built within 120 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void runAll(Queue<Runnable> tasks) {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return VectorIndexContract.await(uni);
    }

    private static List<VectorHit> search(InProcessVectorIndex index, float[] query, VectorFilter filter) {
        return await(index.search(query, 10, filter));
    }

    private static Set<UUID> ids(InProcessVectorIndex index, float[] query, int limit, VectorFilter filter) {
        return new HashSet<>(hitIds(index, query, limit, filter));
    }

    private static List<UUID> hitIds(InProcessVectorIndex index, float[] query, int limit) {
        return hitIds(index, query, limit, VectorFilter.NONE);
    }

    private static List<UUID> hitIds(InProcessVectorIndex index, float[] query, int limit, VectorFilter filter) {
        return await(index.search(query, limit, filter)).stream()
                .sorted(Comparator.comparingDouble(VectorHit::score).reversed())
                .map(VectorHit::id)
                .toList();
    }

    private static VectorPoint withVector(VectorPoint p, float[] vector) {
        return new VectorPoint(
                p.id(),
                vector,
                p.bookId(),
                p.chapterId(),
                p.sectionNumber(),
                p.difficulty(),
                p.language(),
                p.outcomeCodes());
    }

    /** Points around 40 random centres, as embeddings of related passages gather: the case a graph is built for. */
    static List<VectorPoint> clustered(int count, Random random) {
        List<float[]> centres =
                IntStream.range(0, 40).mapToObj(i -> unit(random)).toList();
        List<VectorPoint> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] v = noisy(centres.get(random.nextInt(centres.size())), 0.5f, random);
            points.add(new VectorPoint(
                    UUID.randomUUID(), v, UUID.randomUUID(), UUID.randomUUID(), 1, null, "en", List.of()));
        }
        return points;
    }

    static float[] noisy(float[] centre, float amount, Random random) {
        float[] v = new float[centre.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = centre[d] + amount * (float) random.nextGaussian() / (float) Math.sqrt(v.length);
        }
        return v;
    }

    static float[] unit(Random random) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }
}
