package dev.lectern.progress.study;

import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Enrolments: what a learner studies, a book or a framework's subject, unique per learner and target. Enrolling twice
 * is harmless (PUT is idempotent); each operation is one SQL statement.
 */
@ApplicationScoped
public class EnrolmentService {

    @Schema(name = "Enrolment")
    public record EnrolmentView(
            UUID id,
            @Schema(description = "book or subject") String type,
            String book,
            String framework,
            String subject,
            Instant enrolledAt) {}

    /** An enrolment and whether this call created it. */
    public record Enrolled(EnrolmentView enrolment, boolean created) {}

    private static final String SELECT = """
            SELECT e.id, e.created_at, b.slug AS book, f.code AS framework, s.code AS subject
            FROM enrolments e
            LEFT JOIN books b ON b.id = e.book_id
            LEFT JOIN subjects s ON s.id = e.subject_id
            LEFT JOIN curriculum_frameworks f ON f.id = s.framework_id
            """;

    private final Pool pool;

    public EnrolmentService(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<EnrolmentView>> list(UUID userId) {
        return pool.preparedQuery(SELECT + " WHERE e.user_id = $1 ORDER BY e.created_at, e.id")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<EnrolmentView> items = new ArrayList<>();
                    rows.forEach(r -> items.add(view(r)));
                    return items;
                });
    }

    public Uni<Enrolled> enrolInBook(UUID userId, String book) {
        return enrol(userId, """
                WITH target AS (SELECT id FROM books WHERE slug = $3 AND deleted_at IS NULL),
                ins AS (
                    INSERT INTO enrolments (id, user_id, book_id) SELECT $1, $2, id FROM target
                    ON CONFLICT (user_id, book_id) WHERE book_id IS NOT NULL DO NOTHING
                    RETURNING id)
                SELECT (SELECT id FROM ins) AS inserted,
                       (SELECT e.id FROM enrolments e JOIN target t ON e.book_id = t.id WHERE e.user_id = $2) AS existing,
                       (SELECT count(*) FROM target) AS targets""", Tuple.of(Ids.newId(), userId, book), "no book '" + book + "'");
    }

    public Uni<Enrolled> enrolInSubject(UUID userId, String framework, String subject) {
        return enrol(
                userId,
                """
                WITH target AS (
                    SELECT s.id FROM subjects s JOIN curriculum_frameworks f ON f.id = s.framework_id
                    WHERE f.code = $3 AND s.code = $4),
                ins AS (
                    INSERT INTO enrolments (id, user_id, subject_id) SELECT $1, $2, id FROM target
                    ON CONFLICT (user_id, subject_id) WHERE subject_id IS NOT NULL DO NOTHING
                    RETURNING id)
                SELECT (SELECT id FROM ins) AS inserted,
                       (SELECT e.id FROM enrolments e JOIN target t ON e.subject_id = t.id WHERE e.user_id = $2) AS existing,
                       (SELECT count(*) FROM target) AS targets""",
                Tuple.of(Ids.newId(), userId, framework, subject),
                "no subject '" + subject + "' in framework '" + framework + "'");
    }

    public Uni<Void> leaveBook(UUID userId, String book) {
        return leave(
                "DELETE FROM enrolments e USING books b WHERE e.book_id = b.id AND b.slug = $2 AND e.user_id = $1",
                Tuple.of(userId, book),
                "not enrolled in book '" + book + "'");
    }

    public Uni<Void> leaveSubject(UUID userId, String framework, String subject) {
        return leave(
                """
                DELETE FROM enrolments e USING subjects s, curriculum_frameworks f
                WHERE e.subject_id = s.id AND s.framework_id = f.id AND f.code = $2 AND s.code = $3 AND e.user_id = $1""",
                Tuple.of(userId, framework, subject),
                "not enrolled in subject '" + subject + "' of '" + framework + "'");
    }

    private Uni<Enrolled> enrol(UUID userId, String sql, Tuple params, String notFound) {
        return pool.preparedQuery(sql).execute(params).chain(rows -> {
            Row r = rows.iterator().next();
            if (r.getLong("targets") == 0) {
                return Uni.createFrom().failure(ProblemException.notFound(notFound));
            }
            boolean created = r.getUUID("inserted") != null;
            UUID id = created ? r.getUUID("inserted") : r.getUUID("existing");
            return pool.preparedQuery(SELECT + " WHERE e.id = $1")
                    .execute(Tuple.of(id))
                    .map(found -> new Enrolled(view(found.iterator().next()), created));
        });
    }

    private Uni<Void> leave(String sql, Tuple params, String notFound) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.notFound(notFound);
            }
            return null;
        });
    }

    private static EnrolmentView view(Row r) {
        String book = r.getString("book");
        return new EnrolmentView(
                r.getUUID("id"),
                book != null ? "book" : "subject",
                book,
                r.getString("framework"),
                r.getString("subject"),
                r.getOffsetDateTime("created_at").toInstant());
    }
}
