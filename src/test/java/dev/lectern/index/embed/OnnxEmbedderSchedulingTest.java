package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In which order the in-process embedder's threads take work, shown with a fake model that holds one passage until the
 * test lets it go: no timing, only the order in which passages reach the model and futures complete.
 */
class OnnxEmbedderSchedulingTest {

    /** The pool the application builds, with one thread so that the order of work is the order the model sees. */
    private final ThreadPoolExecutor pool = OnnxEmbedder.newExecutor(1);

    private final List<String> completed = Collections.synchronizedList(new ArrayList<>());
    private GatedModel model;
    private OnnxEmbedder embedder;

    @AfterEach
    void close() {
        model.open.countDown();
        embedder.close();
    }

    private void start(int batchSize, String gated) {
        model = new GatedModel(gated);
        embedder = new OnnxEmbedder(pool, 1, batchSize, () -> model);
    }

    private static List<String> passages(int count) {
        return IntStream.range(0, count).mapToObj(i -> "passage " + i).toList();
    }

    private <T> CompletableFuture<T> tracked(String name, CompletableFuture<T> future) {
        return future.whenComplete((value, failure) -> completed.add(name));
    }

    private CompletableFuture<List<float[]>> ingest(List<String> texts) {
        return tracked("ingestion", embedder.embed(texts).subscribeAsCompletionStage());
    }

    private CompletableFuture<float[]> query(String text) {
        return tracked(text, embedder.embedQuery(text).subscribeAsCompletionStage());
    }

    @Test
    void aQueryIsEmbeddedBetweenTwoPassagesOfAChapterBeingIndexed() throws Exception {
        start(4, "passage 0");
        List<String> chapter = passages(40); // ten batches
        CompletableFuture<List<float[]>> ingestion = ingest(chapter);
        model.awaitGate();

        CompletableFuture<float[]> query = query("how do robots move");
        model.open.countDown();

        assertThat(query.get(1, TimeUnit.MINUTES)).hasSize(3);
        List<float[]> vectors = ingestion.get(1, TimeUnit.MINUTES);
        assertThat(model.order)
                .as("the query reaches the model right after the passage in progress, before the other 39")
                .hasSize(41)
                .startsWith("passage 0", "how do robots move", "passage 1");
        assertThat(completed).containsExactly("how do robots move", "ingestion");
        for (int i = 0; i < chapter.size(); i++) {
            assertThat(vectors.get(i)).as("vector %d", i).containsExactly(GatedModel.unit(chapter.get(i)));
        }
    }

    @Test
    void aChapterLargerThanAnyQueueWaitsForTheThreadsInsteadOfFailingAndQueriesStillPass() throws Exception {
        start(1, "passage 0");
        CompletableFuture<List<float[]>> ingestion = ingest(passages(3_000)); // was refused: 1024 batches at most
        model.awaitGate();
        assertThat(ingestion).as("the chapter is not refused").isNotCompletedExceptionally();
        assertThat(embedder.ingestionBacklog())
                .as("all but the running batch held back")
                .isEqualTo(2_999);
        assertThat(pool.getQueue())
                .as("nothing but the running batch handed to the pool")
                .isEmpty();

        CompletableFuture<float[]> first = query("first question");
        CompletableFuture<float[]> second = query("second question");
        model.open.countDown();

        assertThat(ingestion.get(1, TimeUnit.MINUTES)).hasSize(3_000);
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(model.order.subList(0, 4))
                .containsExactly("passage 0", "first question", "second question", "passage 1");
        assertThat(completed).containsExactly("first question", "second question", "ingestion");
        assertThat(embedder.ingestionBacklog()).isZero();
    }

    @Test
    void chaptersIndexedTogetherShareTheThreadsBatchByBatch() throws Exception {
        start(2, "a 0");
        CompletableFuture<List<float[]>> a = embedder.embed(List.of("a 0", "a 1", "a 2", "a 3", "a 4", "a 5"))
                .subscribeAsCompletionStage();
        model.awaitGate();
        CompletableFuture<List<float[]>> b =
                embedder.embed(List.of("b 0", "b 1", "b 2", "b 3")).subscribeAsCompletionStage();
        model.open.countDown();

        assertThat(a.get(1, TimeUnit.MINUTES)).hasSize(6);
        assertThat(b.get(1, TimeUnit.MINUTES)).hasSize(4);
        assertThat(model.order).containsExactly("a 0", "a 1", "b 0", "b 1", "a 2", "a 3", "b 2", "b 3", "a 4", "a 5");
    }

    @Test
    void closingFailsWhatWaitsLetsTheRunningBatchFinishAndThenClosesTheModel() throws Exception {
        start(2, "passage 0");
        CompletableFuture<List<float[]>> ingestion = ingest(passages(6)); // three batches, one running
        model.awaitGate();
        CompletableFuture<float[]> query = query("asked during shutdown");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(embedder::close);
        while (!pool.isShutdown()) {
            Thread.onSpinWait();
        }
        assertThat(closing).as("close waits for the batch in progress").isNotDone();
        assertThatThrownBy(() -> query.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(EmbeddingException.class);
        model.open.countDown();
        closing.get(1, TimeUnit.MINUTES);

        assertThat(model.order).as("the running batch finished").containsExactly("passage 0", "passage 1");
        assertThat(model.closed).isTrue();
        assertThatThrownBy(() -> ingestion.get(1, TimeUnit.MINUTES))
                .hasCauseInstanceOf(EmbeddingException.class)
                .hasMessageContaining("shutting down");
        assertThat(embedder.ingestionBacklog()).isZero();
        assertThatThrownBy(() -> embedder.embedQuery("too late").await().atMost(java.time.Duration.ofSeconds(10)))
                .isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("shutting down");
    }

    /** Records the order passages reach it; holds the gated passage until {@link #open} is counted down. */
    private static final class GatedModel implements OnnxEmbedder.PassageModel {

        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch open = new CountDownLatch(1);
        private final CountDownLatch reached = new CountDownLatch(1);
        private final String gated;
        volatile boolean closed;

        GatedModel(String gated) {
            this.gated = gated;
        }

        @Override
        public float[] vector(String passage) {
            order.add(passage);
            if (passage.equals(gated)) {
                reached.countDown();
                try {
                    open.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return raw(passage);
        }

        void awaitGate() throws InterruptedException {
            assertThat(reached.await(1, TimeUnit.MINUTES)).isTrue();
        }

        private static float[] raw(String passage) {
            return new float[] {1, passage.length(), passage.hashCode() & 0xff};
        }

        static float[] unit(String passage) {
            return Vectors.normalize(raw(passage));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
