package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.util.Utils;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {

    private static final Set<String> WORKER_THREADS = ConcurrentHashMap.newKeySet();
    private static final Set<Boolean> RAN_ON_EVENT_LOOP = ConcurrentHashMap.newKeySet();
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        // Records, on the thread that runs each batch, which thread that is and whether it is a Vert.x event loop.
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        2,
                        2,
                        1,
                        TimeUnit.MINUTES,
                        new LinkedBlockingQueue<>(),
                        task -> new Thread(task, "test-embedding")) {
                    @Override
                    protected void beforeExecute(Thread thread, Runnable task) {
                        WORKER_THREADS.add(thread.getName());
                        RAN_ON_EVENT_LOOP.add(Context.isOnEventLoopThread());
                    }
                };
        embedder = new OnnxEmbedder(pool, 2, 3);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static List<float[]> embed(String... texts) {
        return embedder.embed(List.of(texts)).await().atMost(Duration.ofMinutes(2));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot; // vectors are unit length
    }

    @Test
    void vectorsHave384UnitLengthDimensions() {
        assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2");
        assertThat(embedder.dimension()).isEqualTo(384);
        float[] vector = embed("A node is a participant in the ROS 2 graph.").get(0);
        assertThat(vector).hasSize(384);
        assertThat(cosine(vector, vector)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void aParaphraseIsCloserThanAnUnrelatedSentence() {
        List<float[]> v = embed(
                "How do I publish velocity commands to a mobile robot?",
                "Sending speed commands to a wheeled robot over a topic",
                "The recipe needs two cups of flour and a pinch of salt.");
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
    }

    @Test
    void batchesKeepTheInputOrder() {
        String[] texts = IntStream.range(0, 10)
                .mapToObj(i -> "Sentence number " + i + " is about topic " + (char) ('a' + i) + ".")
                .toArray(String[]::new);
        List<float[]> together = embed(texts); // batches of 3 on two threads
        assertThat(together).hasSize(10);
        for (int i = 0; i < texts.length; i++) {
            assertThat(cosine(together.get(i), embed(texts[i]).get(0)))
                    .as("text %d", i)
                    .isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void everyTokenOfALongPassageCounts() {
        // LangChain4j's packaged tokenizer truncates at 128 tokens; this embedder must not.
        String prefix = "The robot publishes its odometry on a topic at fifty hertz. ".repeat(20); // ~260 tokens
        List<float[]> v =
                embed(prefix + "Cats sleep most of the day.", prefix + "Quantum chromodynamics describes quarks.");
        assertThat(cosine(v.get(0), v.get(1))).isLessThan(0.9999);
    }

    @Test
    void modelWorkRunsOnTheEmbeddingPoolAndTheResultComesBackOnTheCallersEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Thread> caller = new CompletableFuture<>();
            CompletableFuture<Thread> receiver = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                caller.complete(Thread.currentThread());
                embedder.embed(List.of("one", "two", "three", "four"))
                        .subscribe()
                        .with(vectors -> receiver.complete(Thread.currentThread()), receiver::completeExceptionally);
            });
            assertThat(receiver.get(2, TimeUnit.MINUTES)).isSameAs(caller.get());
            assertThat(caller.get().getName()).contains("eventloop");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
        assertThat(WORKER_THREADS).containsOnly("test-embedding");
        assertThat(RAN_ON_EVENT_LOOP).containsOnly(false);
    }

    @Test
    void closingWaitsForTheModelLoadAndBatchInFlightAndFailsTheQueuedOnes() throws Exception {
        ThreadPoolExecutor oneThread = OnnxEmbedder.newExecutor(1);
        OnnxEmbedder fresh = new OnnxEmbedder(oneThread, 1, 1);
        // The first batch loads this embedder's own model, then embeds; the second waits in the queue behind it.
        CompletableFuture<List<float[]>> running =
                fresh.embed(List.of("loaded while shutting down")).subscribeAsCompletionStage();
        // In flight means taken out of the line (a pool thread that has started but not yet taken it is not enough:
        // close() rightly fails a batch still in the line).
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (fresh.ingestionBacklog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(fresh.ingestionBacklog()).isZero();
        CompletableFuture<List<float[]>> queued = fresh.embed(List.of("queued")).subscribeAsCompletionStage();

        fresh.close();

        assertThat(running)
                .as("the batch in flight when close began")
                .isCompletedWithValueMatching(v -> v.get(0).length == 384);
        assertThat(queued).isCompletedExceptionally();
        assertThatThrownBy(queued::join)
                .hasCauseInstanceOf(EmbeddingException.class)
                .hasMessageContaining("shutting down");
        assertThat(oneThread.isTerminated()).isTrue();
    }

    @Test
    void blankInputIsRefusedAndNoInputGivesNoVectors() {
        assertThat(embedder.embed(List.of()).await().indefinitely()).isEmpty();
        assertThatThrownBy(() -> embed("fine", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text 1");
    }

    @Test
    void theNativeTokenizerComesFromTheJarWithDjlOffline() throws IOException {
        embed("load the model");
        if (System.getenv("DJL_OFFLINE") == null) {
            assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        }
        // Offline, DJL never downloads: the only way to get the library is the copy extracted from the tokenizers jar.
        try (Stream<Path> files = Files.walk(Utils.getEngineCacheDir("tokenizers"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.contains("tokenizers.")
                            && (name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll")));
        }
    }
}
