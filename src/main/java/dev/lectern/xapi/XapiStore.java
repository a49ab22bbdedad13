package dev.lectern.xapi;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.platform.ExpiringRows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL of the xAPI outbox: the insert of a review's statement inside the review's transaction, the claim with
 * {@code FOR UPDATE SKIP LOCKED} and a lease (the index outbox's pattern), the outcome of a delivery, and the learner's
 * list. Delivered and rejected rows expire after the retention ({@link ExpiringRows}).
 */
@ApplicationScoped
public class XapiStore implements ExpiringRows {

    /** A listed or claimed statement: its facts, and how far its delivery got. */
    record Stored(XapiStatements.Facts facts, String status, Instant deliveredAt, int attempts) {}

    /** Selected from a statement row {@code s} joined with its user {@code u}. */
    private static final String COLUMNS = """
            s.id, s.user_id, u.external_subject, u.email::text AS email, s.verb, s.object_type, s.object_path,
            s.object_name, s.progress, s.success, s.score, s.response, s.duration_seconds, s.occurred_at, s.status,
            s.delivered_at, s.attempts""";

    private final Pool pool;

    public XapiStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public List<Table> expiringTables() {
        return List.of(new Table("xapi_statements", "id", "expires_at < now()"));
    }

    /** Queues a statement in the caller's Hibernate Reactive transaction (a review's). */
    Uni<Void> insertInTransaction(
            UUID id,
            UUID userId,
            String verb,
            String objectType,
            UUID objectId,
            String objectPath,
            String objectName,
            Boolean success,
            Double score,
            String response,
            Instant occurredAt) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                                INSERT INTO xapi_statements (id, user_id, verb, object_type, object_id, object_path,
                                                             object_name, success, score, response, occurred_at)
                                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)""")
                        .setParameter(1, id)
                        .setParameter(2, userId)
                        .setParameter(3, verb)
                        .setParameter(4, objectType)
                        .setParameter(5, objectId)
                        .setParameter(6, objectPath)
                        .setParameter(7, objectName)
                        .setParameter(8, success)
                        .setParameter(9, score)
                        .setParameter(10, response)
                        .setParameter(11, OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC))
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Claims up to {@code limit} queued statements that are due, oldest first, for {@code lease}. */
    Uni<List<Stored>> claim(int limit, Duration lease) {
        return pool.preparedQuery("""
                WITH claimed AS (
                    UPDATE xapi_statements o SET claimed_until = now() + $2 * interval '1 millisecond',
                                                 attempts = o.attempts + 1, updated_at = now()
                     WHERE o.id IN (SELECT q.id FROM xapi_statements q
                                     WHERE q.status = 'queued' AND q.available_at <= now()
                                       AND (q.claimed_until IS NULL OR q.claimed_until < now())
                                     ORDER BY q.occurred_at, q.id LIMIT $1 FOR UPDATE SKIP LOCKED)
                    RETURNING o.*)
                SELECT\s""" + COLUMNS + """
                \sFROM claimed s JOIN users u ON u.id = s.user_id ORDER BY s.occurred_at, s.id""")
                .execute(Tuple.of(limit, lease.toMillis()))
                .map(XapiStore::stored);
    }

    /** The LRS holds them: listed as delivered until the retention ends. */
    Uni<Void> delivered(List<UUID> ids, Duration retention) {
        return pool.preparedQuery("""
                UPDATE xapi_statements SET status = 'delivered', delivered_at = now(), claimed_until = NULL,
                       expires_at = now() + $2 * interval '1 millisecond', last_error = NULL, updated_at = now()
                 WHERE id = ANY($1) AND status = 'queued'""")
                .execute(Tuple.of(ids.toArray(UUID[]::new), retention.toMillis()))
                .replaceWithVoid();
    }

    /** The LRS refused the statement itself (400): it is never sent again, and listed as rejected until it expires. */
    Uni<Void> rejected(UUID id, Duration retention, String error) {
        return pool.preparedQuery("""
                UPDATE xapi_statements SET status = 'rejected', claimed_until = NULL,
                       expires_at = now() + $2 * interval '1 millisecond', last_error = $3, updated_at = now()
                 WHERE id = $1 AND status = 'queued'""")
                .execute(Tuple.of(id, retention.toMillis(), clip(error)))
                .replaceWithVoid();
    }

    Uni<Void> retryLater(List<UUID> ids, Duration backoff, String error) {
        return pool.preparedQuery("""
                UPDATE xapi_statements SET claimed_until = NULL, available_at = now() + $2 * interval '1 millisecond',
                       last_error = $3, updated_at = now()
                 WHERE id = ANY($1) AND status = 'queued'""")
                .execute(Tuple.of(ids.toArray(UUID[]::new), backoff.toMillis(), clip(error)))
                .replaceWithVoid();
    }

    /** Statements queued, and the age in seconds of the oldest (0 when none): the outbox depth and lag metrics. */
    Uni<long[]> depthAndLag() {
        return pool.query("""
                        SELECT count(*), coalesce(extract(epoch FROM now() - min(occurred_at)), 0)
                          FROM xapi_statements WHERE status = 'queued'""").execute().map(rows -> {
            Row r = rows.iterator().next();
            return new long[] {r.getLong(0), r.getNumeric(1).longValue()};
        });
    }

    /** Up to {@code limit} of the user's statements, newest first, after the key ({@code occurred_at}, id) when given. */
    Uni<List<Stored>> list(UUID userId, OffsetDateTime afterTime, UUID afterId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + """
                \sFROM xapi_statements s JOIN users u ON u.id = s.user_id
                WHERE s.user_id = $1 AND ($2::timestamptz IS NULL OR (s.occurred_at, s.id) < ($2, $3))
                ORDER BY s.occurred_at DESC, s.id DESC LIMIT $4""")
                .execute(Tuple.of(userId, afterTime, afterId, limit))
                .map(XapiStore::stored);
    }

    private static List<Stored> stored(RowSet<Row> rows) {
        List<Stored> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new Stored(
                    new XapiStatements.Facts(
                            r.getUUID("id"),
                            r.getUUID("user_id"),
                            r.getString("external_subject"),
                            r.getString("email"),
                            r.getString("verb"),
                            r.getString("object_type"),
                            r.getString("object_path"),
                            r.getString("object_name"),
                            r.getDouble("progress"),
                            r.getBoolean("success"),
                            r.getDouble("score"),
                            r.getString("response"),
                            r.getInteger("duration_seconds"),
                            instant(r.getOffsetDateTime("occurred_at"))),
                    r.getString("status"),
                    instant(r.getOffsetDateTime("delivered_at")),
                    r.getInteger("attempts")));
        }
        return out;
    }

    private static String clip(String error) {
        String message = error == null ? "unknown error" : error;
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
