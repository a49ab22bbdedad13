package dev.lectern.progress.review;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Panache repositories of the spaced-repetition tables. */
public final class ReviewRepositories {

    private ReviewRepositories() {}

    @ApplicationScoped
    public static class Items implements PanacheRepositoryBase<ReviewItem, UUID> {

        /** The item if the caller owns it, or any item for an admin; null otherwise (answered as 404, never 403). */
        public Uni<ReviewItem> visibleTo(UUID itemId, UUID callerId, boolean admin) {
            return admin
                    ? findById(itemId)
                    : find("id = ?1 and userId = ?2", itemId, callerId).firstResult();
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
    public static class Settings implements PanacheRepositoryBase<ReviewSettings, UUID> {}

    @ApplicationScoped
    public static class Defaults implements PanacheRepositoryBase<ReviewDefaults, Short> {

        /** The platform's default weights, or null when none are set. */
        public Uni<double[]> weights() {
            return findById(ReviewDefaults.ID).map(d -> d == null ? null : d.weights);
        }
    }
}
