package dev.lectern.index.pipeline;

import dev.lectern.index.embed.Embedder;
import dev.lectern.index.pipeline.IndexJobStore.JobRow;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Rebuilds of the serving index. A rebuild reconciles every chapter (the same idempotent step the outbox runs), so it
 * reuses stored vectors unless the model changed or {@code reembed} is asked; with {@code recreate} it first drops and
 * recreates the collection (removing points no chapter owns any more). Progress lives in {@code index_jobs}, so any
 * replica can report it; the job runs on the replica that accepted it.
 */
@ApplicationScoped
public class IndexJobService {

    private static final Logger LOG = Logger.getLogger(IndexJobService.class);
    private static final Duration STALE = Duration.ofMinutes(2);

    @Schema(name = "IndexJob")
    public record JobView(
            UUID id,
            String status,
            String model,
            boolean reembed,
            int total,
            int processed,
            int chunks,

            @Schema(description = "Chapters per second so far")
            Double rate,

            @Schema(description = "Seconds left at the current rate")
            Long etaSeconds,

            String error,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {

        public boolean finished() {
            return "succeeded".equals(status) || "failed".equals(status);
        }
    }

    private final IndexJobStore jobs;
    private final IndexStore store;
    private final ChapterIndexer indexer;
    private final VectorIndex index;
    private final Embedder embedder;
    private final IndexLifecycle lifecycle;

    public IndexJobService(
            IndexJobStore jobs,
            IndexStore store,
            ChapterIndexer indexer,
            VectorIndex index,
            Embedder embedder,
            IndexLifecycle lifecycle) {
        this.jobs = jobs;
        this.store = store;
        this.indexer = indexer;
        this.index = index;
        this.embedder = embedder;
        this.lifecycle = lifecycle;
    }

    /**
     * Records a queued job; 409 while another rebuild is running (heartbeat younger than two minutes), 404 for an
     * unknown book, 400 for recreating the whole collection while rebuilding one book.
     */
    public Uni<JobView> create(boolean reembed, boolean recreate, String book) {
        UUID id = Ids.newId();
        if (book != null && recreate) {
            return Uni.createFrom()
                    .failure(
                            ProblemException.invalid(
                                    "recreate",
                                    "recreating the collection drops every book's points: rebuild everything, or one book without recreate"));
        }
        Uni<Void> bookExists = book == null
                ? Uni.createFrom().voidItem()
                : jobs.bookExists(book)
                        .invoke(exists -> {
                            if (!exists) {
                                throw ProblemException.notFound("book '" + book + "' not found");
                            }
                        })
                        .replaceWithVoid();
        return bookExists
                .chain(() -> jobs.createUnlessRunning(id, embedder.model(), reembed, STALE))
                .invoke(running -> {
                    if (running != null) {
                        throw ProblemException.conflict("index rebuild " + running + " is still running");
                    }
                })
                .chain(() -> find(id));
    }

    /** Runs a created job to the end, calling {@code progress} after each chapter. */
    public Uni<JobView> run(UUID id, boolean reembed, boolean recreate, String book, Consumer<JobView> progress) {
        AtomicInteger processed = new AtomicInteger();
        AtomicInteger chunks = new AtomicInteger();
        Instant started = Timestamps.now();
        Uni<Void> prepare = recreate
                ? index.recreate(embedder.model(), embedder.dimension())
                : lifecycle.ready().replaceWithVoid();
        return prepare.chain(() -> store.chapterIds(book))
                .call(ids -> jobs.started(id, ids.size()))
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(chapterId -> indexer.reconcile(chapterId, reembed)
                                .invoke(outcome -> {
                                    processed.incrementAndGet();
                                    chunks.addAndGet(outcome.chunks());
                                })
                                .call(() ->
                                        heartbeat(id, processed.get(), chunks.get(), ids.size(), started, progress)))
                        .collect()
                        .last())
                .chain(() -> finish(id, "succeeded", processed.get(), chunks.get(), null))
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.warnf("index rebuild %s failed: %s", id, e.toString());
                    return finish(id, "failed", processed.get(), chunks.get(), e.toString());
                })
                .invoke(progress);
    }

    /** Starts a created job in the background of this replica. */
    public void start(UUID id, boolean reembed, boolean recreate, String book) {
        run(id, reembed, recreate, book, view -> {})
                .subscribe()
                .with(
                        view -> LOG.infof(
                                "index rebuild %s %s: %d chapters, %d chunks",
                                id, view.status(), view.processed(), view.chunks()),
                        e -> LOG.errorf(e, "index rebuild %s could not record its end", id));
    }

    private Uni<Void> heartbeat(
            UUID id, int processed, int chunks, int total, Instant started, Consumer<JobView> progress) {
        progress.accept(view(id, "running", processed, total, chunks, started));
        // Writing progress for every chapter of a large book set would be chatty; every 10th and the last suffice.
        if (processed % 10 != 0 && processed != total) {
            return Uni.createFrom().voidItem();
        }
        return jobs.progress(id, processed, chunks);
    }

    /** A running job's progress as it is reported to the caller, without reading it back. */
    private JobView view(UUID id, String status, int processed, int total, int chunks, Instant started) {
        return toView(new JobRow(
                id,
                status,
                embedder.model(),
                false,
                total,
                processed,
                chunks,
                null,
                started,
                started,
                null,
                Timestamps.now()));
    }

    private Uni<JobView> finish(UUID id, String status, int processed, int chunks, String error) {
        String message = error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error;
        return jobs.finish(id, status, processed, chunks, message).chain(() -> find(id));
    }

    public Uni<JobView> find(UUID id) {
        return jobs.find(id).map(row -> row == null ? null : toView(row));
    }

    /** The job's state every {@code period}, ending with its finished state (or at once when there is no such job). */
    public Multi<JobView> follow(UUID id, Duration period) {
        AtomicBoolean done = new AtomicBoolean();
        return Multi.createFrom()
                .ticks()
                .every(period)
                .onItem()
                .transformToUniAndConcatenate(tick -> find(id))
                .select()
                .first(view -> !done.getAndSet(view == null || view.finished()))
                .select()
                .where(view -> view != null);
    }

    /** The job with its rate (chapters per second) and time left so far. */
    private static JobView toView(JobRow job) {
        Double rate = null;
        Long eta = null;
        if (job.startedAt() != null && job.processed() > 0) {
            Instant end = job.finishedAt() != null ? job.finishedAt() : job.now();
            double seconds =
                    Math.max(0.001, Duration.between(job.startedAt(), end).toMillis() / 1000.0);
            rate = Math.round(job.processed() / seconds * 100) / 100.0;
            eta = job.finishedAt() != null
                    ? 0L
                    : (long) Math.ceil((job.total() - job.processed()) / (job.processed() / seconds));
        }
        return new JobView(
                job.id(),
                job.status(),
                job.model(),
                job.reembed(),
                job.total(),
                job.processed(),
                job.chunks(),
                rate,
                eta,
                job.error(),
                job.createdAt(),
                job.startedAt(),
                job.finishedAt());
    }
}
