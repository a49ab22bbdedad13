package dev.lectern.platform;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes expired rows in bounded batches: personalised and translated chapter variants, and idempotency keys
 * ({@link Idempotency}). The settings keep their first names ({@code lectern.variants.purge-*}, documented as
 * {@code LECTERN_VARIANTS_PURGE_*}). Each batch claims its rows with
 * {@code FOR UPDATE SKIP LOCKED}, so every replica can run the purge at the same time: they take disjoint rows and
 * none waits on another; each batch is one short statement, so no run holds the database for long.
 *
 * <p>At shutdown no new run starts, a running one stops after its current batch (each batch is one statement, so
 * nothing is left half done), and shutdown waits for it before the pool closes.
 */
@ApplicationScoped
public class ExpiryPurge {

    private static final Logger LOG = Logger.getLogger(ExpiryPurge.class);

    private final Pool pool;
    private final int batchSize;
    private final int maxBatches;
    private final Duration maxRun;
    private final BackgroundRuns runs = new BackgroundRuns();

    /**
     * A run purges each table until a batch comes back short, for at most {@code purge-max-run} (30 s) and
     * {@code purge-max-batches} per table. Time, not a small batch count, bounds it: idempotency keys arrive with
     * every keyed request, and a cap of 20 batches per 5 minutes (the first default: 120,000 rows an hour) would fall
     * behind a few dozen keyed requests a second for good.
     */
    public ExpiryPurge(
            Pool pool,
            @ConfigProperty(name = "lectern.variants.purge-batch", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "lectern.variants.purge-max-batches", defaultValue = "10000") int maxBatches,
            @ConfigProperty(name = "lectern.variants.purge-max-run", defaultValue = "30s") Duration maxRun) {
        this.pool = pool;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.maxRun = maxRun;
    }

    @Scheduled(
            every = "${lectern.variants.purge-every:5m}",
            delayed = "${lectern.variants.purge-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> scheduled() {
        return runs.track(() -> purge().invoke(n -> {
                    if (n > 0) {
                        LOG.infof("purged %d expired rows (chapter variants, idempotency keys)", n);
                    }
                })
                .onFailure()
                .invoke(e -> LOG.warnf("expiry purge failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid());
    }

    /** Runs before the pool closes (in-flight HTTP requests have finished by then): lets a running purge end cleanly. */
    void onShutdown(@Observes ShutdownEvent event) {
        runs.stopAndAwait(
                Duration.ofSeconds(10),
                LOG,
                "expiry purge still running at shutdown; its current batch is rolled back with the connection");
    }

    /** Purges every table; answers how many rows were deleted. */
    public Uni<Long> purge() {
        return purgeTable("personalized_content", "id", "expires_at < now()")
                .chain(a -> purgeTable("chapter_translations", "id", "expires_at IS NOT NULL AND expires_at < now()")
                        .map(b -> a + b))
                .chain(ab -> purgeTable("idempotency_keys", "user_id, key", "expires_at < now()")
                        .map(c -> ab + c));
    }

    /** {@code keyColumns}: the table's primary key, one column or several ({@code "user_id, key"}). */
    private Uni<Long> purgeTable(String table, String keyColumns, String expired) {
        String sql = "DELETE FROM " + table + " WHERE (" + keyColumns + ") IN (SELECT " + keyColumns + " FROM " + table
                + " WHERE " + expired + " ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)";
        long deadline = System.nanoTime() + maxRun.toNanos();
        return Multi.createBy()
                .repeating()
                .uni(() -> pool.preparedQuery(sql).execute(Tuple.of(batchSize)).map(rows -> (long) rows.rowCount()))
                .whilst(n -> n == batchSize && !runs.stopping() && System.nanoTime() < deadline)
                .select()
                .first(maxBatches)
                .collect()
                .with(java.util.stream.Collectors.summingLong(n -> n));
    }
}
