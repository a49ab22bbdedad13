package dev.lectern.progress.review;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The due queue's page query: a range scan of the (user_id, due, id) index. The hottest read of a study session, so it
 * runs on the reactive client directly: loading the page as managed entities cost about a third of the request's CPU
 * (a JFR profile under bench/progress.sh).
 */
@ApplicationScoped
public class DueQueueStore {

    /** The item columns, and the learner's FSRS weights in effect for their retrievability (null: FSRS-6's). */
    private static final String DUE_COLUMNS = """
            SELECT id, outcome_id, chapter_id, section_number, front, back, state, step, stability, difficulty, due, last_review,
                   reps, lapses, version, created_at, updated_at,
                   coalesce((SELECT weights FROM review_settings WHERE user_id = $1),
                            (SELECT weights FROM review_defaults WHERE id = 1)) AS weights
              FROM review_items""";

    private static final String DUE_FIRST = DUE_COLUMNS + " WHERE user_id = $1 AND due <= $2 ORDER BY due, id LIMIT $3";
    private static final String DUE_AFTER =
            DUE_COLUMNS + " WHERE user_id = $1 AND due <= $2 AND (due, id) > ($3, $4) ORDER BY due, id LIMIT $5";

    private final Pool pool;

    public DueQueueStore(Pool pool) {
        this.pool = pool;
    }

    /** A page of due items (unmanaged entities) and the FSRS weights their learner's retrievability is read with. */
    record DuePage(List<ReviewItem> items, double[] weights) {}

    /**
     * Up to {@code limit} of the user's items due by {@code until}, in (due, id) order, after the key
     * ({@code afterDue}, {@code afterId}) when given, with the learner's weights (read in the same statement).
     */
    Uni<DuePage> page(UUID userId, Instant until, Instant afterDue, UUID afterId, int limit) {
        Uni<RowSet<Row>> rows = afterDue == null
                ? pool.preparedQuery(DUE_FIRST).execute(Tuple.of(userId, offset(until), limit))
                : pool.preparedQuery(DUE_AFTER)
                        .execute(Tuple.tuple(List.of(userId, offset(until), offset(afterDue), afterId, limit)));
        return rows.map(page -> {
            List<ReviewItem> found = new ArrayList<>(page.size());
            page.forEach(r -> found.add(item(r)));
            // The same on every row (the learner's): read once, from the first.
            Double[] theirs = page.size() == 0 ? null : page.iterator().next().getArrayOfDoubles("weights");
            double[] weights = theirs == null
                    ? Fsrs.defaultParameters()
                    : java.util.Arrays.stream(theirs)
                            .mapToDouble(Double::doubleValue)
                            .toArray();
            return new DuePage(found, weights);
        });
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A row as the (unmanaged) entity the view and the cursor are built from. */
    private static ReviewItem item(Row r) {
        ReviewItem i = new ReviewItem();
        i.id = r.getUUID("id");
        i.outcomeId = r.getUUID("outcome_id");
        i.chapterId = r.getUUID("chapter_id");
        i.sectionNumber = r.getInteger("section_number");
        i.front = r.getString("front");
        i.back = r.getString("back");
        i.state = r.getString("state");
        i.step = r.getInteger("step");
        i.stability = r.getDouble("stability");
        i.difficulty = r.getDouble("difficulty");
        i.due = instant(r, "due");
        i.lastReview = instant(r, "last_review");
        i.reps = r.getInteger("reps");
        i.lapses = r.getInteger("lapses");
        i.version = r.getLong("version");
        i.createdAt = instant(r, "created_at");
        i.updatedAt = instant(r, "updated_at");
        return i;
    }
}
