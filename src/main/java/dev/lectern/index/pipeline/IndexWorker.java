package dev.lectern.index.pipeline;

import dev.lectern.platform.BackgroundRuns;
import dev.lectern.platform.Backoff;
import dev.lectern.platform.OutboxGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Drains the index outbox on every replica. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so
 * replicas share the work without a coordinator; a chapter whose reconcile fails (the vector index is down, the
 * embedding provider answers 503) goes back to the outbox with exponential backoff and is retried until it converges.
 */
@ApplicationScoped
public class IndexWorker {

    private static final Logger LOG = Logger.getLogger(IndexWorker.class);

    private final IndexStore store;
    private final ChapterIndexer indexer;
    private final IndexLifecycle lifecycle;
    private final Duration lease;
    private final Duration maxBackoff;
    private final int maxClaimsPerRun;
    private final OutboxGauges gauges;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final BackgroundRuns runs = new BackgroundRuns();
    private final boolean enabled;
    private final int concurrency;

    public IndexWorker(
            IndexStore store,
            ChapterIndexer indexer,
            IndexLifecycle lifecycle,
            MeterRegistry registry,
            IndexConfig config) {
        this.enabled = config.workerEnabled();
        this.concurrency = Math.max(1, config.concurrency());
        this.store = store;
        this.indexer = indexer;
        this.lifecycle = lifecycle;
        this.lease = config.lease();
        this.maxBackoff = config.maxBackoff();
        this.maxClaimsPerRun = config.maxClaimsPerRun();
        this.gauges = new OutboxGauges(
                registry,
                "lectern.index",
                "Chapters waiting to be (re)indexed",
                "Age of the oldest waiting index change");
    }

    @Scheduled(
            every = "${lectern.index.poll-every}",
            delayed = "${lectern.index.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!enabled || paused.get()) {
            return Uni.createFrom().voidItem();
        }
        return runs.scheduled(() -> drain().replaceWithVoid().chain(this::refreshGauges), LOG, "index outbox run");
    }

    /**
     * Runs before the pool closes: no new batch is claimed and the chapters in hand finish (or, past 10 s, are left
     * to their lease: another replica or the next start takes them again). Nothing is lost either way.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        runs.stopAndAwait(
                Duration.ofSeconds(10),
                LOG,
                "index outbox work still running at shutdown; its rows return to the outbox when their lease ends");
    }

    /**
     * Processes due work until the outbox is empty or a run's budget is spent; answers chapters reconciled. Nothing is
     * claimed until the vector index is prepared (its collection may not exist yet).
     */
    public Uni<Integer> drain() {
        return lifecycle
                .ready()
                .chain(ready -> ready ? drainReady() : Uni.createFrom().item(0));
    }

    /**
     * A continuous flow, not claim-then-wait: up to {@code concurrency} chapters are in hand, and each one finished
     * makes room to claim the next (a claim takes at most {@code concurrency} rows, so no more than that waits claimed
     * but unstarted). Several chapters at once because while one is read, chunked or written, another keeps the
     * embedding threads busy; waiting for a whole claimed batch before claiming again left them idle at every batch's
     * tail (bench/ingest.sh, docs/BENCHMARKS.md).
     */
    private Uni<Integer> drainReady() {
        return runs.claims(() -> store.claim(concurrency, lease), maxClaimsPerRun)
                .onItem()
                .transformToMultiAndConcatenate(claimed -> Multi.createFrom().iterable(byChapter(claimed)))
                .select()
                .where(chapter -> !runs.stopping()) // claimed but unstarted at shutdown: back after the lease
                .onItem()
                .transformToUni(chapter -> processChapter(chapter.getKey(), chapter.getValue()))
                .merge(concurrency)
                .collect()
                .with(java.util.stream.Collectors.counting())
                .map(Long::intValue);
    }

    /** One reconcile per chapter however many of its changes were claimed together. */
    private static Iterable<Map.Entry<UUID, List<IndexStore.Work>>> byChapter(List<IndexStore.Work> claimed) {
        Map<UUID, List<IndexStore.Work>> byChapter = new LinkedHashMap<>();
        claimed.forEach(w ->
                byChapter.computeIfAbsent(w.chapterId(), k -> new ArrayList<>()).add(w));
        return byChapter.entrySet();
    }

    private Uni<Void> processChapter(UUID chapterId, List<IndexStore.Work> work) {
        List<Long> ids = work.stream().map(IndexStore.Work::id).toList();
        int attempts = work.stream().mapToInt(IndexStore.Work::attempts).max().orElse(1);
        return indexer.reconcile(chapterId, false)
                .chain(outcome -> store.complete(ids))
                .onFailure()
                .recoverWithUni(e -> {
                    Duration backoff = backoff(attempts);
                    LOG.warnf(
                            "indexing chapter %s failed (attempt %d), retrying in %s: %s",
                            chapterId, attempts, backoff, e.toString());
                    return store.retryLater(ids, backoff, e.toString());
                });
    }

    Duration backoff(int attempts) {
        return Backoff.exponential(attempts, maxBackoff);
    }

    private Uni<Void> refreshGauges() {
        return gauges.refresh(store.depthAndLag());
    }

    /** Tests and rebuilds stop the scheduled drain to observe or own the outbox. */
    public void pause(boolean pause) {
        paused.set(pause);
    }
}
