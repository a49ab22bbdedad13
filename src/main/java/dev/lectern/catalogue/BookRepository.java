package dev.lectern.catalogue;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class BookRepository implements PanacheRepositoryBase<Book, UUID> {

    public Uni<Book> findLive(String slug) {
        return find("slug = ?1 and deletedAt is null", slug).firstResult();
    }

    /** Up to {@code limit + 1} live books after {@code afterSlug}, in slug order. */
    public Uni<List<Book>> pageAfter(String afterSlug, int limit) {
        if (afterSlug == null) {
            return find("deletedAt is null order by slug").range(0, limit).list();
        }
        return find("deletedAt is null and slug > ?1 order by slug", afterSlug).range(0, limit).list();
    }
}
