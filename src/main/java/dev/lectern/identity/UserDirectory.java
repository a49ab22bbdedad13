package dev.lectern.identity;

import dev.lectern.platform.ConnectionLossRetry;
import dev.lectern.platform.Ids;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The authentication-path view of users: maps a JWT subject to a user (creating it on first sight, i.e.
 * just-in-time provisioning) and reads a user's roles. One SQL round trip on a miss; hits come from two Caffeine caches
 * (quarkus-cache, configured in application.properties: at most {@code lectern.auth.cache-size} entries each, kept for
 * {@code lectern.auth.user-cache-ttl}, with {@code cache_*} metrics), so a busy learner's requests do not each touch
 * the users table, and a flood of subjects or {@code X-On-Behalf-Of} ids, known or not, costs bounded memory.
 */
@ApplicationScoped
public class UserDirectory {

    static final String BY_SUBJECT = "lectern-users-by-subject";
    static final String BY_ID = "lectern-users-by-id";
    static final String BY_EXTERNAL_SUBJECT = "lectern-users-by-external-subject";

    public record Known(UUID userId, Set<String> roles) {}

    private final Pool pool;
    private final ConnectionLossRetry retry;
    private final Cache bySubject;
    private final Cache byId;
    private final Cache byExternalSubject;

    public UserDirectory(
            Pool pool,
            ConnectionLossRetry retry,
            @CacheName(BY_SUBJECT) Cache bySubject,
            @CacheName(BY_ID) Cache byId,
            @CacheName(BY_EXTERNAL_SUBJECT) Cache byExternalSubject) {
        this.pool = pool;
        this.retry = retry;
        this.bySubject = bySubject;
        this.byId = byId;
        this.byExternalSubject = byExternalSubject;
    }

    /** The user for this subject, created as a learner if it is the first request with it. */
    public Uni<Known> provision(String subject, String displayName) {
        return bySubject.getAsync(subject, s -> upsert(s, displayName));
    }

    /** The user with this id, if any (an unknown id is cached as such, for the same time). */
    public Uni<Optional<Known>> find(UUID userId) {
        return byId.getAsync(userId, this::load);
    }

    /**
     * The user the auth server knows by this subject, if any; never creates one (unlike {@link #provision}). Only
     * users found stay cached: a miss is dropped at once, so a subject asked for before its user is created (on this
     * replica or another) is found as soon as it exists.
     */
    public Uni<Optional<Known>> findBySubject(String subject) {
        return byExternalSubject
                .getAsync(subject, this::loadBySubject)
                .call(found -> found.isPresent() ? Uni.createFrom().voidItem() : byExternalSubject.invalidate(subject));
    }

    /** Forgets everything cached, after a user's roles changed or the user was erased. */
    public Uni<Void> forgetAll() {
        return bySubject.invalidateAll().chain(byId::invalidateAll).chain(byExternalSubject::invalidateAll);
    }

    private Uni<Known> upsert(String subject, String displayName) {
        // ON CONFLICT makes concurrent first requests of one subject converge on one row, and a repeat after a lost
        // connection harmless: the authentication path runs outside any endpoint, so it retries here.
        String name = displayName == null || displayName.isBlank() ? null : truncate(displayName);
        return retry.idempotent(() -> pool.preparedQuery("""
                INSERT INTO users (id, external_subject, display_name, roles, created_at, updated_at, last_seen_at)
                VALUES ($1, $2, $3, ARRAY['learner'], now(), now(), now())
                ON CONFLICT (external_subject) DO UPDATE SET last_seen_at = now()
                RETURNING id, roles""").execute(Tuple.of(Ids.newId(), subject, name)))
                .map(rows -> known(rows.iterator().next()));
    }

    private Uni<Optional<Known>> load(UUID userId) {
        return loadOne("SELECT id, roles FROM users WHERE id = $1", userId);
    }

    private Uni<Optional<Known>> loadBySubject(String subject) {
        return loadOne("SELECT id, roles FROM users WHERE external_subject = $1", subject);
    }

    private Uni<Optional<Known>> loadOne(String sql, Object key) {
        return retry.idempotent(() -> pool.preparedQuery(sql).execute(Tuple.of(key)))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(known(rows.iterator().next()))
                        : Optional.empty());
    }

    private static Known known(Row row) {
        return new Known(row.getUUID("id"), Set.of(row.getArrayOfStrings("roles")));
    }

    private static String truncate(String name) {
        String trimmed = name.trim();
        return trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed;
    }
}
