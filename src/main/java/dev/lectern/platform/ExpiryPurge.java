package dev.lectern.platform;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes expired rows in bounded batches, from the tables their owners declare as {@link ExpiringRows} (personalised
 * and translated chapter variants, idempotency keys). Settings: {@link PurgeConfig}. Each batch claims its rows with
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
    private final List<ExpiringRows.Table> tables;
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
    public ExpiryPurge(Pool pool, PurgeConfig config, @All List<ExpiringRows> owners) {
        this.pool = pool;
        this.tables = owners.stream().flatMap(o -> o.expiringTables().stream()).toList();
        this.batchSize = config.purgeBatch();
        this.maxBatches = config.purgeMaxBatches();
        this.maxRun = config.purgeMaxRun();
    }

    @Scheduled(
            every = "${lectern.variants.purge-every}",
            delayed = "${lectern.variants.purge-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> scheduled() {
        return runs.scheduled(
                () -> purge().invoke(n -> {
                    if (n > 0) {
                        LOG.infof("purged %d expired rows (%s)", n, names());
                    }
                }),
                LOG,
                "expiry purge");
    }

    /** Runs before the pool closes (in-flight HTTP requests have finished by then): lets a running purge end cleanly. */
    void onShutdown(@Observes ShutdownEvent event) {
        runs.stopAndAwait(
                Duration.ofSeconds(10),
                LOG,
                "expiry purge still running at shutdown; its current batch is rolled back with the connection");
    }

    /** Purges every table, one after the other; answers how many rows were deleted. */
    public Uni<Long> purge() {
        Uni<Long> total = Uni.createFrom().item(0L);
        for (ExpiringRows.Table table : tables) {
            total = total.chain(sum -> purgeTable(table).map(n -> sum + n));
        }
        return total;
    }

    private String names() {
        return tables.stream().map(ExpiringRows.Table::table).collect(java.util.stream.Collectors.joining(", "));
    }

    private Uni<Long> purgeTable(ExpiringRows.Table expiring) {
        String table = expiring.table();
        String keyColumns = expiring.keyColumns();
        String expired = expiring.expired();
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
