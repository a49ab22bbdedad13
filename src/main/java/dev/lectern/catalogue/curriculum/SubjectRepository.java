package dev.lectern.catalogue.curriculum;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SubjectRepository implements PanacheRepositoryBase<Subject, UUID> {

    public Uni<Subject> findByCode(UUID frameworkId, String code) {
        return find("frameworkId = ?1 and code = ?2", frameworkId, code).firstResult();
    }

    public Uni<List<Subject>> pageAfter(UUID frameworkId, String afterCode, int limit) {
        if (afterCode == null) {
            return find("frameworkId = ?1 order by code", frameworkId)
                    .range(0, limit)
                    .list();
        }
        return find("frameworkId = ?1 and code > ?2 order by code", frameworkId, afterCode)
                .range(0, limit)
                .list();
    }

    public Uni<List<Subject>> byIds(List<UUID> ids) {
        return ids.isEmpty()
                ? Uni.createFrom().item(List.of())
                : find("id in ?1", ids).list();
    }
}
