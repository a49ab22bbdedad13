package dev.lectern.xapi;

import dev.lectern.platform.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * What other features use to queue xAPI statements with their events: whether xAPI is on (when it is off they write
 * nothing and their SQL is unchanged), new statement ids, the insert a SQL-first store adds to its own statement as a
 * CTE, and the insert of a review's statement inside the review's transaction.
 */
@ApplicationScoped
public class XapiOutbox {

    /**
     * {@code INSERT INTO} the outbox with these columns, for a CTE of another feature's statement; the statement is
     * written in the same statement (and so transaction) as the event it reports.
     */
    public static final String INSERT_INTO = """
            INSERT INTO xapi_statements (id, user_id, verb, object_type, object_id, object_path, object_name, progress,
                                         duration_seconds, occurred_at)""";

    /** The name of a session's activity. */
    public static final String SESSION_NAME = "Learning session";

    private final boolean on;
    private final XapiStore store;

    public XapiOutbox(XapiConfig config, XapiStore store) {
        this.on = config.on();
        this.store = store;
    }

    public boolean on() {
        return on;
    }

    /** A statement id, taken when the event happens: a retried delivery sends the same one. */
    public static UUID newStatementId() {
        return Ids.newId();
    }

    /**
     * Ids for statements of one event, ascending: UUIDv7s of the same millisecond are in random order, and statements
     * that share a timestamp are listed and sent in id order ("experienced" before "progressed").
     */
    public static UUID[] newStatementIds(int count) {
        UUID[] ids = new UUID[count];
        for (int i = 0; i < count; i++) {
            ids[i] = Ids.newId();
        }
        // PostgreSQL compares uuids as unsigned bytes: sort the same way.
        java.util.Arrays.sort(
                ids,
                java.util.Comparator.comparing((UUID u) -> u.getMostSignificantBits(), Long::compareUnsigned)
                        .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned));
        return ids;
    }

    /**
     * Queues "answered" for a review, in the review's transaction; nothing when xAPI is off. Success is a rating above
     * again; the scaled score maps again..easy to 0..1.
     */
    public Uni<Void> answered(UUID userId, UUID itemId, String itemName, String rating, Instant reviewedAt) {
        if (!on) {
            return Uni.createFrom().voidItem();
        }
        return store.insertInTransaction(
                newStatementId(),
                userId,
                "answered",
                "review-item",
                itemId,
                "/review-items/" + itemId,
                name(itemName, "Review item"),
                !"again".equals(rating),
                XapiStatements.scaledScore(rating),
                rating,
                reviewedAt);
    }

    /** An activity name of at most 200 characters (code points, as PostgreSQL counts them), or the fallback. */
    static String name(String text, String fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String line = text.strip().replaceAll("\\s+", " ");
        return line.codePointCount(0, line.length()) <= 200
                ? line
                : line.substring(0, line.offsetByCodePoints(0, 199)) + "…";
    }
}
