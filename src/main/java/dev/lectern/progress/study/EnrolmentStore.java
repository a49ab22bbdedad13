package dev.lectern.progress.study;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.platform.Ids;
import dev.lectern.progress.study.EnrolmentViews.EnrolmentView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Enrolments in SQL: each enrolment is one statement that finds the target, inserts unless the learner is already
 * enrolled (ON CONFLICT on the unique (user, target) index) and tells which happened.
 */
@ApplicationScoped
public class EnrolmentStore {

    /** The enrolments query for callers who see drafts (true) and for those who do not (false). */
    private static final Map<Boolean, String> SELECT = Map.of(true, select(true), false, select(false));

    /** Enrolling in a book for callers who see drafts (true) and for those who do not (false). */
    private static final Map<Boolean, String> ENROL_IN_BOOK =
            Map.of(true, enrolInBook(true), false, enrolInBook(false));

    /**
     * An enrolment in a book the caller may not read (deleted, or unpublished since) keeps its row, but the book is not
     * named: a view never shows content the caller could not read.
     */
    private static String select(boolean drafts) {
        return """
                SELECT e.id, e.created_at, e.book_id IS NOT NULL AS in_book, b.slug AS book, f.code AS framework,
                       s.code AS subject
                FROM enrolments e
                LEFT JOIN %s b ON b.id = e.book_id
                LEFT JOIN subjects s ON s.id = e.subject_id
                LEFT JOIN curriculum_frameworks f ON f.id = s.framework_id
                """.formatted(VisibleContent.books(drafts));
    }

    /**
     * Enrolling in a book the caller may read, which the same statement looks up in the catalogue's view; any other
     * slug is answered as one naming no book.
     */
    private static String enrolInBook(boolean drafts) {
        return """
            WITH target AS (SELECT id FROM %s WHERE slug = $3),
            ins AS (
                INSERT INTO enrolments (id, user_id, book_id) SELECT $1, $2, id FROM target
                ON CONFLICT (user_id, book_id) WHERE book_id IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT (SELECT id FROM ins) AS inserted,
                   (SELECT e.id FROM enrolments e JOIN target t ON e.book_id = t.id WHERE e.user_id = $2) AS existing,
                   (SELECT count(*) FROM target) AS targets""".formatted(VisibleContent.books(drafts));
    }

    private static final String ENROL_IN_SUBJECT = """
            WITH target AS (
                SELECT s.id FROM subjects s JOIN curriculum_frameworks f ON f.id = s.framework_id
                WHERE f.code = $3 AND s.code = $4),
            ins AS (
                INSERT INTO enrolments (id, user_id, subject_id) SELECT $1, $2, id FROM target
                ON CONFLICT (user_id, subject_id) WHERE subject_id IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT (SELECT id FROM ins) AS inserted,
                   (SELECT e.id FROM enrolments e JOIN target t ON e.subject_id = t.id WHERE e.user_id = $2) AS existing,
                   (SELECT count(*) FROM target) AS targets""";

    /** What an enrolment statement did: whether its target exists, and the id it inserted or found. */
    record Enrolment(boolean targetExists, UUID inserted, UUID existing) {}

    private final Pool pool;

    public EnrolmentStore(Pool pool) {
        this.pool = pool;
    }

    Uni<List<EnrolmentView>> list(UUID userId, boolean drafts) {
        return pool.preparedQuery(SELECT.get(drafts) + " WHERE e.user_id = $1 ORDER BY e.created_at, e.id")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<EnrolmentView> items = new ArrayList<>();
                    rows.forEach(r -> items.add(view(r)));
                    return items;
                });
    }

    Uni<EnrolmentView> get(UUID enrolmentId, boolean drafts) {
        return pool.preparedQuery(SELECT.get(drafts) + " WHERE e.id = $1")
                .execute(Tuple.of(enrolmentId))
                .map(found -> view(found.iterator().next()));
    }

    Uni<Enrolment> enrolInBook(UUID userId, String book, boolean drafts) {
        return enrol(ENROL_IN_BOOK.get(drafts), Tuple.of(Ids.newId(), userId, book));
    }

    Uni<Enrolment> enrolInSubject(UUID userId, String framework, String subject) {
        return enrol(ENROL_IN_SUBJECT, Tuple.of(Ids.newId(), userId, framework, subject));
    }

    /** Answers whether the user was enrolled in the book. */
    Uni<Boolean> leaveBook(UUID userId, String book) {
        return leave(
                "DELETE FROM enrolments e USING books b WHERE e.book_id = b.id AND b.slug = $2 AND e.user_id = $1",
                Tuple.of(userId, book));
    }

    /** Answers whether the user was enrolled in the subject. */
    Uni<Boolean> leaveSubject(UUID userId, String framework, String subject) {
        return leave("""
                DELETE FROM enrolments e USING subjects s, curriculum_frameworks f
                WHERE e.subject_id = s.id AND s.framework_id = f.id AND f.code = $2 AND s.code = $3 AND e.user_id = $1""", Tuple.of(userId, framework, subject));
    }

    private Uni<Enrolment> enrol(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            Row r = rows.iterator().next();
            return new Enrolment(r.getLong("targets") > 0, r.getUUID("inserted"), r.getUUID("existing"));
        });
    }

    private Uni<Boolean> leave(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> rows.rowCount() > 0);
    }

    private static EnrolmentView view(Row r) {
        return new EnrolmentView(
                r.getUUID("id"),
                r.getBoolean("in_book") ? "book" : "subject",
                r.getString("book"),
                r.getString("framework"),
                r.getString("subject"),
                r.getOffsetDateTime("created_at").toInstant());
    }
}
