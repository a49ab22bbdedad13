package dev.lectern.progress.review;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The mastery aggregate: per outcome of a framework, the learner's items and their current retrievability, in one query. */
@ApplicationScoped
public class MasteryStore {

    private static final String MASTERY = """
            SELECT f.code AS framework, o.code, o.description, s.code AS subject,
                   count(ri.id) AS items,
                   count(ri.id) FILTER (WHERE ri.last_review IS NOT NULL) AS reviewed,
                   avg(power(1 + $4 * floor(extract(epoch FROM (now() - ri.last_review)) / 86400) / ri.stability, $5))
                       FILTER (WHERE ri.last_review IS NOT NULL) AS retrievability,
                   min(ri.stability) FILTER (WHERE ri.last_review IS NOT NULL) AS min_stability
            FROM curriculum_frameworks f
            LEFT JOIN outcomes o ON o.framework_id = f.id
            LEFT JOIN subjects s ON s.id = o.subject_id
            LEFT JOIN review_items ri ON ri.outcome_id = o.id AND ri.user_id = $1
            WHERE f.code = $2 AND ($3::text IS NULL OR s.code = $3)
            GROUP BY f.code, o.id, o.code, o.description, s.code
            ORDER BY o.code""";

    /**
     * One outcome's aggregate; {@code code} is null on the single row of a framework without (matching) outcomes.
     * {@code retrievability} and {@code minStability} are null when no item is reviewed.
     */
    record OutcomeRow(
            String code,
            String description,
            String subject,
            int items,
            int reviewed,
            Double retrievability,
            Double minStability) {}

    private final Pool pool;

    public MasteryStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * The framework's outcomes (of one subject when given) with the user's items, the current retrievability
     * {@code (1 + factor * elapsed days / stability) ^ decay} averaged; no row when the framework does not exist.
     */
    Uni<List<OutcomeRow>> outcomes(UUID userId, String framework, String subject, double factor, double decay) {
        return pool.preparedQuery(MASTERY)
                .execute(Tuple.of(userId, framework, subject, factor, decay))
                .map(rows -> {
                    List<OutcomeRow> outcomes = new ArrayList<>();
                    for (Row r : rows) {
                        outcomes.add(new OutcomeRow(
                                r.getString("code"),
                                r.getString("description"),
                                r.getString("subject"),
                                r.getLong("items").intValue(),
                                r.getLong("reviewed").intValue(),
                                r.getDouble("retrievability"),
                                r.getDouble("min_stability")));
                    }
                    return outcomes;
                });
    }
}
