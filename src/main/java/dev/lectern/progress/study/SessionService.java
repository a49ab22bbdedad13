package dev.lectern.progress.study;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Learning sessions and the learner's stats.
 *
 * <p>Active time is counted from heartbeats: each heartbeat adds the time since the previous one, capped at
 * {@link #MAX_GAP_SECONDS}, so a tab left open overnight does not count as study. Stats read only the learner's own
 * rows through indexes that lead with user_id, so they stay cheap however large the tables grow.
 */
@ApplicationScoped
public class SessionService {

    /** A gap between heartbeats longer than this counts as this much activity at most (idle or closed tab). */
    static final int MAX_GAP_SECONDS = 300;

    static final int STREAK_LOOKBACK_DAYS = 400;

    @Schema(name = "StartSession")
    public record StartRequest(UUID chapterId) {}

    @Schema(name = "Heartbeat", description = "What happened since the last heartbeat")
    public record HeartbeatRequest(
            @Min(0) @Max(10_000) @Schema(description = "Review items reviewed since the last heartbeat")
            Integer itemsReviewed,

            @Min(0) @Max(10_000) @Schema(description = "Pieces of content generated since the last heartbeat")
            Integer contentGenerated) {}

    @Schema(name = "LearningSession")
    public record SessionView(
            UUID id,
            UUID chapterId,
            Instant startedAt,
            Instant lastHeartbeatAt,
            Instant endedAt,
            int activeSeconds,
            int itemsReviewed,
            int contentGenerated) {}

    @Schema(name = "Stats")
    public record StatsView(
            @Schema(description = "Consecutive days with study activity up to today or yesterday (UTC)")
            int streakDays,

            @Schema(description = "Active minutes in sessions since Monday 00:00 UTC")
            long minutesThisWeek,

            long reviewsDone,
            long reviewsThisWeek,
            long chaptersCompleted) {}

    private static final String COLUMNS =
            "id, chapter_id, started_at, last_heartbeat_at, ended_at, active_seconds, items_reviewed, content_generated";

    private final Pool pool;

    public SessionService(Pool pool) {
        this.pool = pool;
    }

    public Uni<SessionView> start(UUID userId, StartRequest request) {
        UUID chapterId = request == null ? null : request.chapterId();
        return pool.preparedQuery("""
                INSERT INTO learning_sessions (id, user_id, chapter_id, started_at, last_heartbeat_at)
                SELECT $1, $2, $3, now(), now()
                WHERE $3::uuid IS NULL OR EXISTS (SELECT 1 FROM chapters WHERE id = $3 AND deleted_at IS NULL)
                RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(Ids.newId(), userId, chapterId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.invalid("chapterId", "names no chapter");
                    }
                    return view(rows.iterator().next());
                });
    }

    public Uni<SessionView> heartbeat(
            UUID sessionId, UUID callerId, boolean admin, HeartbeatRequest request, boolean end) {
        int reviewed = request == null || request.itemsReviewed() == null ? 0 : request.itemsReviewed();
        int generated = request == null || request.contentGenerated() == null ? 0 : request.contentGenerated();
        // One statement: the row lock orders concurrent heartbeats; an ended session is left untouched.
        return pool.preparedQuery("""
                WITH s AS (SELECT id, ended_at FROM learning_sessions WHERE id = $1 AND ($3 OR user_id = $2)),
                upd AS (
                    UPDATE learning_sessions l SET
                        active_seconds = l.active_seconds + LEAST(GREATEST(extract(epoch FROM now() - l.last_heartbeat_at), 0), $6)::int,
                        last_heartbeat_at = now(),
                        items_reviewed = l.items_reviewed + $4,
                        content_generated = l.content_generated + $5,
                        ended_at = CASE WHEN $7 THEN now() ELSE NULL END,
                        updated_at = now()
                    FROM s WHERE l.id = s.id AND s.ended_at IS NULL
                    RETURNING l.*)
                SELECT (SELECT count(*) FROM s) AS found, upd.* FROM (SELECT 1) one LEFT JOIN upd ON true""")
                .execute(Tuple.tuple()
                        .addUUID(sessionId)
                        .addUUID(callerId)
                        .addBoolean(admin)
                        .addInteger(reviewed)
                        .addInteger(generated)
                        .addInteger(MAX_GAP_SECONDS)
                        .addBoolean(end))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getLong("found") == 0) {
                        throw ProblemException.notFound("no session " + sessionId);
                    }
                    if (r.getUUID("id") == null) {
                        throw new ProblemException(
                                409, "session-ended", "Session ended", "session " + sessionId + " has ended", null);
                    }
                    return view(r);
                });
    }

    public Uni<StatsView> stats(UUID userId) {
        return pool.preparedQuery("""
                WITH days AS (
                    SELECT (reviewed_at AT TIME ZONE 'UTC')::date AS d FROM review_logs
                    WHERE user_id = $1 AND reviewed_at > now() - make_interval(days => $2)
                    UNION
                    SELECT (started_at AT TIME ZONE 'UTC')::date FROM learning_sessions
                    WHERE user_id = $1 AND started_at > now() - make_interval(days => $2)
                )
                SELECT (SELECT array_agg(d ORDER BY d DESC) FROM days) AS days,
                       (SELECT coalesce(sum(active_seconds), 0) FROM learning_sessions
                        WHERE user_id = $1 AND started_at >= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS week_seconds,
                       (SELECT count(*) FROM review_logs WHERE user_id = $1) AS reviews,
                       (SELECT count(*) FROM review_logs
                        WHERE user_id = $1 AND reviewed_at >= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS week_reviews,
                       (SELECT count(*) FROM reading_progress WHERE user_id = $1 AND completed_at IS NOT NULL) AS completed""")
                .execute(Tuple.of(userId, STREAK_LOOKBACK_DAYS))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    LocalDate[] days = r.getArrayOfLocalDates("days");
                    return new StatsView(
                            streak(days, LocalDate.now(ZoneOffset.UTC)),
                            r.getLong("week_seconds") / 60,
                            r.getLong("reviews"),
                            r.getLong("week_reviews"),
                            r.getLong("completed"));
                });
    }

    /** Consecutive days ending today, or yesterday when today has no activity yet; days are sorted newest first. */
    static int streak(LocalDate[] days, LocalDate today) {
        if (days == null || days.length == 0) {
            return 0;
        }
        LocalDate expected = days[0].equals(today) ? today : today.minusDays(1);
        int streak = 0;
        for (LocalDate day : days) {
            if (!day.equals(expected)) {
                break;
            }
            streak++;
            expected = expected.minusDays(1);
        }
        return streak;
    }

    private static SessionView view(Row r) {
        return new SessionView(
                r.getUUID("id"),
                r.getUUID("chapter_id"),
                instant(r.getOffsetDateTime("started_at")),
                instant(r.getOffsetDateTime("last_heartbeat_at")),
                instant(r.getOffsetDateTime("ended_at")),
                r.getInteger("active_seconds"),
                r.getInteger("items_reviewed"),
                r.getInteger("content_generated"));
    }
}
