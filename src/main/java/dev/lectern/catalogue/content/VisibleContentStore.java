package dev.lectern.catalogue.content;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Visibility lookups on the views of {@link VisibleContent}, on the reactive client: one statement each. */
@ApplicationScoped
public class VisibleContentStore {

    private final Pool pool;

    public VisibleContentStore(Pool pool) {
        this.pool = pool;
    }

    /** Of these chapter ids, the ones naming a chapter in the given view. */
    Uni<Set<UUID>> chapterIds(Collection<UUID> ids, boolean drafts) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("SELECT id FROM " + VisibleContent.chapters(drafts) + " WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<UUID> found = new HashSet<>();
                    for (Row row : rows) {
                        found.add(row.getUUID("id"));
                    }
                    return found;
                });
    }
}
