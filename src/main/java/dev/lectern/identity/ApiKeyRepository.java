package dev.lectern.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public Uni<List<ApiKey>> ofUser(UUID userId) {
        return find("userId = ?1 order by createdAt, id", userId).list();
    }

    /** The key if the caller owns it, or any key for an admin; null otherwise (callers answer 404, never 403). */
    public Uni<ApiKey> visibleTo(UUID keyId, UUID callerId, boolean admin) {
        return admin
                ? findById(keyId)
                : find("id = ?1 and userId = ?2", keyId, callerId).firstResult();
    }
}
