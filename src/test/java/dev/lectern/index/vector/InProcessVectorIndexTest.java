package dev.lectern.index.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InProcessVectorIndexTest extends VectorIndexContract {

    @Override
    protected VectorIndex newIndex() {
        return new InProcessVectorIndex();
    }

    @Test
    void upsertBeforeEnsureIsRefused() {
        assertThatThrownBy(() -> await(index.upsert(List.of(point(UUID.randomUUID(), v(1, 0, 0, 0))))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(await(index.search(v(1, 0, 0, 0), 5, VectorFilter.NONE))).isEmpty();
        assertThat(index.kind()).isEqualTo("in-process");
    }

    @Test
    void topKMatchesAFullSortOnRandomData() {
        Random random = new Random(11);
        await(index.ensure(MODEL, DIM));
        List<VectorPoint> points = randomPoints(2_000, random);
        await(index.upsert(points));
        await(index.delete(points.subList(0, 300).stream().map(VectorPoint::id).toList()));
        float[] query = v(0.3f, -1.2f, 0.8f, 0.1f);

        List<UUID> expected = points.subList(300, points.size()).stream()
                .sorted((a, b) -> Double.compare(cosine(b.vector(), query), cosine(a.vector(), query)))
                .limit(25)
                .map(VectorPoint::id)
                .toList();

        assertThat(searchIds(query, 25, VectorFilter.NONE)).containsExactlyElementsOf(expected);
    }

    @Test
    void concurrentWritersAndReadersLeaveAConsistentIndex() throws Exception {
        await(index.ensure(MODEL, DIM));
        List<VectorPoint> kept = randomPoints(400, new Random(21));
        List<VectorPoint> dropped = randomPoints(400, new Random(22));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int offset = t;
                work.add(pool.submit(() -> {
                    for (int i = offset; i < kept.size(); i += 2) {
                        await(index.upsert(List.of(kept.get(i), dropped.get(i))));
                        await(index.delete(List.of(dropped.get(i).id())));
                    }
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        List<VectorHit> hits = await(index.search(kept.get(i).vector(), 5, VectorFilter.NONE));
                        assertThat(hits).hasSizeLessThanOrEqualTo(5).doesNotContainNull();
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(await(index.count())).isEqualTo(kept.size());
        for (VectorPoint point : kept.subList(0, 50)) {
            assertThat(await(index.search(point.vector(), 1, VectorFilter.NONE))
                            .get(0)
                            .id())
                    .isEqualTo(point.id());
        }
    }

    /**
     * A scan over a large store runs on a worker thread and completes back on the caller's event loop, so the event
     * loop is free while it runs.
     */
    @Test
    void largeSearchesLeaveTheEventLoopAndResumeOnIt() throws Exception {
        int dimension = 384;
        int points = (int) (InProcessVectorIndex.OFFLOAD_THRESHOLD / dimension) + 100;
        await(index.ensure(MODEL, dimension));
        await(index.upsert(randomPoints(points, dimension, new Random(5))));
        float[] query = randomPoints(1, dimension, new Random(6)).get(0).vector();
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<String> completedOn = new CompletableFuture<>();
            AtomicBoolean completedSynchronously = new AtomicBoolean();
            CompletableFuture<String> eventLoop = new CompletableFuture<>();
            vertx.runOnContext(ignored -> {
                eventLoop.complete(Thread.currentThread().getName());
                AtomicBoolean subscribing = new AtomicBoolean(true);
                index.search(query, 10, VectorFilter.NONE)
                        .subscribe()
                        .with(
                                hits -> {
                                    completedSynchronously.set(subscribing.get());
                                    completedOn.complete(hits.size() + " hits on "
                                            + Thread.currentThread().getName());
                                },
                                completedOn::completeExceptionally);
                subscribing.set(false);
            });
            assertThat(completedOn.get(30, TimeUnit.SECONDS)).isEqualTo("10 hits on " + eventLoop.get());
            assertThat(completedSynchronously)
                    .as("the scan did not run inside subscribe on the event loop")
                    .isFalse();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
