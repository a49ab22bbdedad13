package dev.lectern.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    public Uni<List<User>> pageAfter(UUID afterId, int limit) {
        return afterId == null
                ? find("order by id").range(0, limit).list()
                : find("id > ?1 order by id", afterId).range(0, limit).list();
    }

    /** The user the auth server knows by this subject, or null. */
    public Uni<User> findBySubject(String externalSubject) {
        return find("externalSubject", externalSubject).firstResult();
    }

    /** Erases the user; ON DELETE CASCADE removes everything the user owns in the same statement. */
    public Uni<Long> erase(UUID id) {
        return delete("id = ?1", id);
    }
}
