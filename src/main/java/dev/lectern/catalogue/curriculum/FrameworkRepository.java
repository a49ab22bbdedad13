package dev.lectern.catalogue.curriculum;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class FrameworkRepository implements PanacheRepositoryBase<CurriculumFramework, UUID> {

    public Uni<CurriculumFramework> findByCode(String code) {
        return find("code", code).firstResult();
    }

    public Uni<List<CurriculumFramework>> pageAfter(String afterCode, int limit) {
        if (afterCode == null) {
            return find("order by code").range(0, limit).list();
        }
        return find("code > ?1 order by code", afterCode).range(0, limit).list();
    }

    public Uni<Integer> clearDefault() {
        return update("isDefault = false where isDefault = true");
    }
}
