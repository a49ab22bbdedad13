package dev.lectern.progress.review;

import dev.lectern.platform.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL of the weight fits ({@code review_fit_jobs}) and of the review log as the fitter and the CSV export read it, on
 * the reactive client.
 */
@ApplicationScoped
public class ReviewFitStore {

    /** A fit job as stored. */
    record FitRow(
            UUID id,
            UUID userId,
            String status,
            String outcome,
            int reviews,
            double progress,
            Double logLossBefore,
            Double logLossAfter,
            Double rmseBinsBefore,
            Double rmseBinsAfter,
            Double[] weights,
            String message,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {}

    private static final String COLUMNS = """
            id, user_id, status, outcome, reviews, progress, log_loss_before, log_loss_after, rmse_bins_before,
            rmse_bins_after, weights, message, created_at, started_at, finished_at""";

    private final Pool pool;

    public ReviewFitStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Queues a fit for the learner unless one is queued or running with a heartbeat younger than {@code stale}; answers
     * null when queued, else the id of the job still active. A job whose heartbeat is older (its replica died) is
     * failed first. The partial unique index makes two concurrent requests queue one job (the other gets a 409).
     */
    Uni<UUID> queueUnlessActive(UUID id, UUID userId, Duration stale) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        UPDATE review_fit_jobs
                           SET status = 'failed', message = 'abandoned: the replica running it stopped', finished_at = now(), updated_at = now()
                         WHERE user_id = $1 AND status IN ('queued', 'running') AND updated_at <= now() - $2 * interval '1 second'""")
                .execute(Tuple.of(userId, stale.toSeconds()))
                .chain(() -> tx.preparedQuery(
                                "SELECT id FROM review_fit_jobs WHERE user_id = $1 AND status IN ('queued', 'running')")
                        .execute(Tuple.of(userId)))
                .chain(active -> active.size() > 0
                        ? Uni.createFrom().item(active.iterator().next().getUUID("id"))
                        : tx.preparedQuery(
                                        "INSERT INTO review_fit_jobs (id, user_id, status) VALUES ($1, $2, 'queued')")
                                .execute(Tuple.of(id, userId))
                                .replaceWith((UUID) null)));
    }

    Uni<Void> started(UUID id, int reviews) {
        return update(
                "UPDATE review_fit_jobs SET status = 'running', reviews = $2, started_at = now(), updated_at = now() WHERE id = $1",
                Tuple.of(id, reviews));
    }

    /** The heartbeat of a running fit. */
    Uni<Void> progress(UUID id, double progress) {
        return update(
                "UPDATE review_fit_jobs SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'running'",
                Tuple.of(id, Math.min(1.0, Math.max(0.0, progress))));
    }

    Uni<Void> succeeded(UUID id, FsrsOptimizer.Result result, String outcome) {
        FsrsOptimizer.Metrics before = result.before();
        FsrsOptimizer.Metrics after = result.after();
        Double[] weights = "fitted".equals(outcome)
                ? java.util.Arrays.stream(result.weights()).boxed().toArray(Double[]::new)
                : null;
        return update("""
                UPDATE review_fit_jobs
                   SET status = 'succeeded', outcome = $2, progress = 1, log_loss_before = $3, log_loss_after = $4,
                       rmse_bins_before = $5, rmse_bins_after = $6, weights = $7, message = $8, finished_at = now(), updated_at = now()
                 WHERE id = $1""", Tuple.from(new Object[] {
            id,
            outcome,
            before == null ? null : before.logLoss(),
            after == null ? null : after.logLoss(),
            before == null ? null : before.rmseBins(),
            after == null ? null : after.rmseBins(),
            weights,
            truncate(result.reason())
        }));
    }

    Uni<Void> failed(UUID id, String message) {
        return update(
                "UPDATE review_fit_jobs SET status = 'failed', message = $2, finished_at = now(), updated_at = now() WHERE id = $1",
                Tuple.of(id, truncate(message)));
    }

    /** The job, or null. */
    Uni<FitRow> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM review_fit_jobs WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
    }

    /**
     * The learner's review log, one list per card in time order, from the most recently started cards back until
     * {@code maxReviews} reviews (whole cards only: a card cut in the middle would start with a review that was not
     * its first).
     */
    Uni<List<List<FsrsOptimizer.Review>>> log(UUID userId, int maxReviews) {
        return pool.preparedQuery("""
                        WITH cards AS (
                            SELECT item_id, min(reviewed_at) AS first_review, count(*) AS reviews
                              FROM review_logs WHERE user_id = $1 GROUP BY item_id),
                        kept AS (
                            SELECT item_id FROM (
                                SELECT item_id, sum(reviews) OVER (ORDER BY first_review DESC, item_id) AS running
                                  FROM cards) c
                             WHERE running <= $2)
                        SELECT l.item_id, l.reviewed_at, l.rating
                          FROM review_logs l JOIN kept USING (item_id)
                         WHERE l.user_id = $1
                         ORDER BY l.item_id, l.reviewed_at, l.id""").execute(Tuple.of(userId, maxReviews)).map(rows -> {
            Map<UUID, List<FsrsOptimizer.Review>> cards = new LinkedHashMap<>();
            for (Row r : rows) {
                cards.computeIfAbsent(r.getUUID("item_id"), k -> new ArrayList<>())
                        .add(new FsrsOptimizer.Review(
                                Timestamps.instant(r.getOffsetDateTime("reviewed_at")),
                                Fsrs.Rating.fromCode(r.getString("rating"))));
            }
            return new ArrayList<>(cards.values());
        });
    }

    /** The learner's review log in the FSRS optimizer's CSV format ({@link ReviewLogCsv}), cards in creation order. */
    Uni<String> csv(UUID userId) {
        return pool.preparedQuery("""
                        SELECT dense_rank() OVER (ORDER BY i.created_at, i.id) AS card,
                               (extract(epoch FROM l.reviewed_at) * 1000)::bigint AS review_time,
                               l.rating, l.state_before, l.duration_ms,
                               row_number() OVER (PARTITION BY l.item_id ORDER BY l.reviewed_at, l.id) = 1 AS first
                          FROM review_logs l JOIN review_items i ON i.id = l.item_id
                         WHERE l.user_id = $1
                         ORDER BY card, l.reviewed_at, l.id""").execute(Tuple.of(userId)).map(rows -> {
            StringBuilder csv = new StringBuilder(ReviewLogCsv.HEADER);
            for (Row r : rows) {
                ReviewLogCsv.line(
                        csv,
                        r.getLong("card"),
                        r.getLong("review_time"),
                        Fsrs.Rating.fromCode(r.getString("rating")).value(),
                        ReviewLogCsv.state(r.getBoolean("first"), r.getString("state_before")),
                        r.getInteger("duration_ms"));
            }
            return csv.toString();
        });
    }

    private Uni<Void> update(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).replaceWithVoid();
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 2000);
    }

    private static FitRow row(Row r) {
        return new FitRow(
                r.getUUID("id"),
                r.getUUID("user_id"),
                r.getString("status"),
                r.getString("outcome"),
                r.getInteger("reviews"),
                r.getDouble("progress"),
                r.getDouble("log_loss_before"),
                r.getDouble("log_loss_after"),
                r.getDouble("rmse_bins_before"),
                r.getDouble("rmse_bins_after"),
                r.getArrayOfDoubles("weights"),
                r.getString("message"),
                Timestamps.instant(r.getOffsetDateTime("created_at")),
                Timestamps.instant(r.getOffsetDateTime("started_at")),
                Timestamps.instant(r.getOffsetDateTime("finished_at")));
    }
}
