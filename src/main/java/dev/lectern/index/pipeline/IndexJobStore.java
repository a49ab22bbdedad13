package dev.lectern.index.pipeline;

import dev.lectern.platform.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** SQL of the rebuild jobs ({@code index_jobs}), on the reactive client: one statement (or one transaction) each. */
@ApplicationScoped
public class IndexJobStore {

    /** A job row as stored, with the database's clock at the time of reading (for the rate of a running job). */
    record JobRow(
            UUID id,
            String status,
            String model,
            boolean reembed,
            int total,
            int processed,
            int chunks,
            String error,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            Instant now) {}

    private final Pool pool;

    public IndexJobStore(Pool pool) {
        this.pool = pool;
    }

    /** Whether a book with this slug exists (soft-deleted ones too: rebuilding them removes their points). */
    Uni<Boolean> bookExists(String slug) {
        return pool.preparedQuery("SELECT 1 FROM books WHERE slug = $1")
                .execute(Tuple.of(slug))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Records a queued job unless another one is queued or running with a heartbeat younger than {@code stale};
     * answers null when recorded, else the id of the job still running. The table lock makes check and insert one
     * step across replicas.
     */
    Uni<UUID> createUnlessRunning(UUID id, String model, boolean reembed, Duration stale) {
        return pool.withTransaction(tx -> tx.query("LOCK TABLE index_jobs IN SHARE ROW EXCLUSIVE MODE")
                .execute()
                .chain(() -> tx.preparedQuery("""
                        SELECT id FROM index_jobs WHERE status IN ('queued', 'running') AND updated_at > now() - $1 * interval '1 second'""").execute(Tuple.of(stale.toSeconds())))
                .chain(running -> {
                    if (running.size() > 0) {
                        return Uni.createFrom().item(running.iterator().next().getUUID("id"));
                    }
                    return tx.preparedQuery(
                                    "INSERT INTO index_jobs (id, status, model, reembed) VALUES ($1, 'queued', $2, $3)")
                            .execute(Tuple.of(id, model, reembed))
                            .replaceWith((UUID) null);
                }));
    }

    Uni<Void> started(UUID id, int total) {
        return pool.preparedQuery(
                        "UPDATE index_jobs SET status = 'running', total = $2, started_at = now(), updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, total))
                .replaceWithVoid();
    }

    Uni<Void> progress(UUID id, int processed, int chunks) {
        return pool.preparedQuery("UPDATE index_jobs SET processed = $2, chunks = $3, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, processed, chunks))
                .replaceWithVoid();
    }

    Uni<Void> finish(UUID id, String status, int processed, int chunks, String error) {
        return pool.preparedQuery("""
                UPDATE index_jobs SET status = $2, processed = $3, chunks = $4, error = $5, finished_at = now(), updated_at = now()
                 WHERE id = $1""")
                .execute(Tuple.of(id, status, processed, chunks, error))
                .replaceWithVoid();
    }

    /** The job, or null. */
    Uni<JobRow> find(UUID id) {
        return pool.preparedQuery("""
                SELECT id, status, model, reembed, total, processed, chunks, error, created_at, started_at, finished_at, now() AS now
                  FROM index_jobs WHERE id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
    }

    private static JobRow row(Row r) {
        return new JobRow(
                r.getUUID("id"),
                r.getString("status"),
                r.getString("model"),
                r.getBoolean("reembed"),
                r.getInteger("total"),
                r.getInteger("processed"),
                r.getInteger("chunks"),
                r.getString("error"),
                Timestamps.instant(r.getOffsetDateTime("created_at")),
                Timestamps.instant(r.getOffsetDateTime("started_at")),
                Timestamps.instant(r.getOffsetDateTime("finished_at")),
                Timestamps.instant(r.getOffsetDateTime("now")));
    }
}
