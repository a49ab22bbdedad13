package dev.lectern.progress.study;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.platform.Ids;
import dev.lectern.progress.study.SessionViews.SessionView;
import dev.lectern.xapi.XapiOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Learning sessions and stats in SQL, one statement each. Stats read only the learner's own rows through indexes that
 * lead with user_id, so they stay cheap however large the tables grow.
 */
@ApplicationScoped
public class SessionStore {

    private static final String COLUMNS =
            "id, chapter_id, started_at, last_heartbeat_at, ended_at, active_seconds, items_reviewed, content_generated";

    /**
     * Starting a session, for callers who see drafts (true) and for those who do not (false): the chapter is checked in
     * the same statement as the insert, against the catalogue's view of what the caller may read.
     */
    private static final Map<Boolean, String> START = Map.of(true, start(true), false, start(false));

    /** The same, queueing the xAPI "initialized" statement in the same statement. */
    private static final Map<Boolean, String> START_XAPI = Map.of(true, startXapi(true), false, startXapi(false));

    private static String start(boolean drafts) {
        return """
                INSERT INTO learning_sessions (id, user_id, chapter_id, started_at, last_heartbeat_at)
                SELECT $1, $2, $3, now(), now()
                WHERE $3::uuid IS NULL OR EXISTS (SELECT 1 FROM %s WHERE id = $3)
                RETURNING\s""".formatted(VisibleContent.chapters(drafts)) + COLUMNS;
    }

    private static String startXapi(boolean drafts) {
        return "WITH s AS (" + start(drafts) + "), xapi AS (" + XapiOutbox.INSERT_INTO
                + """

                SELECT $4, $2, 'initialized', 'session', s.id, '/sessions/' || s.id, '%s', NULL, NULL, s.started_at
                FROM s)
                SELECT * FROM s""".formatted(XapiOutbox.SESSION_NAME);
    }

    /**
     * A heartbeat: adds the time since the last one, at most {@code $6}, and the counts; ends the session when
     * {@code $7}. With {@code xapi}, the end queues the xAPI "terminated" statement (its duration the active time) in
     * the same statement.
     */
    private static final Map<Boolean, String> HEARTBEAT = Map.of(true, heartbeat(true), false, heartbeat(false));

    private static String heartbeat(boolean xapi) {
        String statement = xapi ? "), xapi AS (" + XapiOutbox.INSERT_INTO + """

                  SELECT $8, upd.user_id, 'terminated', 'session', upd.id, '/sessions/' || upd.id, '%s', NULL,
                         upd.active_seconds, upd.ended_at
                  FROM upd WHERE upd.ended_at IS NOT NULL""".formatted(XapiOutbox.SESSION_NAME) : "";
        return """
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
                    RETURNING l.*
                %s)
                SELECT (SELECT count(*) FROM s) AS found, upd.* FROM (SELECT 1) one LEFT JOIN upd ON true""".formatted(statement);
    }

    /** What a heartbeat found: whether the caller has such a session, and the session unless it had ended. */
    record Heartbeat(boolean found, SessionView session) {}

    /** The learner's activity: study days (newest first) and counts. */
    record Activity(LocalDate[] days, long weekSeconds, long reviews, long weekReviews, long completed) {}

    private final Pool pool;
    private final XapiOutbox xapi;

    public SessionStore(Pool pool, XapiOutbox xapi) {
        this.pool = pool;
        this.xapi = xapi;
    }

    /** A new session, on the chapter when given; empty when the chapter is not one the caller may read. */
    Uni<Optional<SessionView>> start(UUID userId, UUID chapterId, boolean drafts) {
        Tuple params = Tuple.of(Ids.newId(), userId, chapterId);
        if (xapi.on()) {
            params.addUUID(XapiOutbox.newStatementId());
        }
        return pool.preparedQuery((xapi.on() ? START_XAPI : START).get(drafts))
                .execute(params)
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(view(rows.iterator().next()))
                        : Optional.empty());
    }

    Uni<UUID> owner(UUID sessionId) {
        return pool.preparedQuery("SELECT user_id FROM learning_sessions WHERE id = $1")
                .execute(Tuple.of(sessionId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("user_id") : null);
    }

    /**
     * Adds the time since the last heartbeat, at most {@code maxGapSeconds}, and the counts; ends the session when
     * {@code end}. One statement: the row lock orders concurrent heartbeats; an ended session is left untouched.
     */
    Uni<Heartbeat> heartbeat(
            UUID sessionId, UUID callerId, boolean admin, int reviewed, int generated, int maxGapSeconds, boolean end) {
        Tuple params = Tuple.tuple()
                .addUUID(sessionId)
                .addUUID(callerId)
                .addBoolean(admin)
                .addInteger(reviewed)
                .addInteger(generated)
                .addInteger(maxGapSeconds)
                .addBoolean(end);
        if (xapi.on()) {
            params.addUUID(XapiOutbox.newStatementId());
        }
        return pool.preparedQuery(HEARTBEAT.get(xapi.on())).execute(params).map(rows -> {
            Row r = rows.iterator().next();
            return new Heartbeat(r.getLong("found") > 0, r.getUUID("id") == null ? null : view(r));
        });
    }

    /** The learner's study days in the last {@code lookbackDays} days, and this week's and all-time counts: one query. */
    Uni<Activity> activity(UUID userId, int lookbackDays) {
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
                       (SELECT count(*) FROM reading_progress WHERE user_id = $1 AND completed_at IS NOT NULL) AS completed""").execute(Tuple.of(userId, lookbackDays)).map(rows -> {
            Row r = rows.iterator().next();
            return new Activity(
                    r.getArrayOfLocalDates("days"),
                    r.getLong("week_seconds"),
                    r.getLong("reviews"),
                    r.getLong("week_reviews"),
                    r.getLong("completed"));
        });
    }

    /** Every session of the user's, oldest first, as its columns, for the GDPR export. */
    Uni<List<Map<String, Object>>> export(UUID userId) {
        return pool.preparedQuery("""
                SELECT id, chapter_id, started_at, ended_at, active_seconds, items_reviewed, content_generated
                FROM learning_sessions WHERE user_id = $1 ORDER BY started_at""").execute(Tuple.of(userId)).map(rows -> {
            List<Map<String, Object>> list = new ArrayList<>();
            rows.forEach(r -> list.add(r.toJson().getMap()));
            return list;
        });
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
