package dev.lectern.catalogue.content;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SectionRepository implements PanacheRepositoryBase<Section, UUID> {

    public Uni<List<Section>> ofChapter(UUID chapterId) {
        return find("chapterId = ?1 order by number", chapterId).list();
    }

    /** One bulk DELETE, not a load-and-delete loop. */
    public Uni<Long> deleteOfChapter(UUID chapterId) {
        return delete("chapterId = ?1", chapterId);
    }
}
