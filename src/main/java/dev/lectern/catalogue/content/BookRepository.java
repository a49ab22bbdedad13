package dev.lectern.catalogue.content;

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

    /** The live book, if the reader may see it: drafts only with {@code drafts}. */
    public Uni<Book> findVisible(String slug, boolean drafts) {
        return drafts
                ? findLive(slug)
                : find("slug = ?1 and deletedAt is null and published = true", slug)
                        .firstResult();
    }

    /** Up to {@code limit + 1} live books after {@code afterSlug}, in slug order; published ones only unless {@code drafts}. */
    public Uni<List<Book>> pageAfter(String afterSlug, int limit, boolean drafts) {
        String visible = drafts ? "deletedAt is null" : "deletedAt is null and published = true";
        if (afterSlug == null) {
            return find(visible + " order by slug").range(0, limit).list();
        }
        return find(visible + " and slug > ?1 order by slug", afterSlug)
                .range(0, limit)
                .list();
    }
}
