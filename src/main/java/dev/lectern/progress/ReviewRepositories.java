package dev.lectern.progress;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Panache repositories of the spaced-repetition tables. */
public final class ReviewRepositories {

    private ReviewRepositories() {
    }

    @ApplicationScoped
    public static class Items implements PanacheRepositoryBase<ReviewItem, UUID> {

        /** The item if the caller owns it, or any item for an admin; null otherwise (answered as 404, never 403). */
        public Uni<ReviewItem> visibleTo(UUID itemId, UUID callerId, boolean admin) {
            return admin ? findById(itemId) : find("id = ?1 and userId = ?2", itemId, callerId).firstResult();
        }

        /** Up to {@code limit + 1} items due by {@code before}, in (due, id) order after the cursor key: the (user_id, due, id) index. */
        public Uni<List<ReviewItem>> due(UUID userId, Instant before, Instant afterDue, UUID afterId, int limit) {
            if (afterDue == null) {
                return find("userId = ?1 and due <= ?2 order by due, id", userId, before).range(0, limit).list();
            }
            return find("userId = ?1 and due <= ?2 and (due > ?3 or (due = ?3 and id > ?4)) order by due, id",
                    userId, before, afterDue, afterId).range(0, limit).list();
        }

        public Uni<List<ReviewItem>> ofUser(UUID userId) {
            return find("userId = ?1 order by createdAt, id", userId).list();
        }
    }

    @ApplicationScoped
    public static class Logs implements PanacheRepositoryBase<ReviewLog, UUID> {

        public Uni<List<ReviewLog>> ofUser(UUID userId) {
            return find("userId = ?1 order by reviewedAt, id", userId).list();
        }
    }

    @ApplicationScoped
    public static class Settings implements PanacheRepositoryBase<ReviewSettings, UUID> {
    }
}
