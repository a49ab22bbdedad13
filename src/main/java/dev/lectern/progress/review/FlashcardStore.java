package dev.lectern.progress.review;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Review items for a set of flashcards, inserted set-based in one statement. */
@ApplicationScoped
public class FlashcardStore {

    private final Pool pool;

    public FlashcardStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * One fresh item, due now, per card ({@code ids}, {@code fronts} and {@code backs} side by side); an id that
     * already has its item is left alone. Answers how many items it created.
     */
    Uni<Integer> insert(UUID userId, UUID chapterId, UUID outcomeId, UUID[] ids, String[] fronts, String[] backs) {
        return pool.preparedQuery("""
                INSERT INTO review_items (id, user_id, chapter_id, outcome_id, front, back, state, step, due)
                SELECT c.id, $1, $2, $3, c.front, c.back, 'learning', 0, now()
                FROM unnest($4::uuid[], $5::text[], $6::text[]) AS c(id, front, back)
                ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.tuple()
                        .addUUID(userId)
                        .addUUID(chapterId)
                        .addUUID(outcomeId)
                        .addArrayOfUUID(ids)
                        .addArrayOfString(fronts)
                        .addArrayOfString(backs))
                .map(rows -> rows.rowCount());
    }
}
