package dev.lectern.identity;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import dev.lectern.platform.ConnectionLossRetry;
import dev.lectern.platform.Ids;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The authentication-path view of users: maps a JWT subject to a user (creating it on first sight, i.e.
 * just-in-time provisioning) and reads a user's roles. One SQL round trip on a miss, cached for
 * {@code lectern.auth.user-cache-ttl} on a hit, so a busy learner's requests do not each touch the users table.
 */
@ApplicationScoped
public class UserDirectory {

    public record Known(UUID userId, Set<String> roles) {
    }

    private record Entry(Optional<Known> known, long expiresAtNanos) {
    }

    private final Pool pool;
    private final ConnectionLossRetry retry;
    private final long ttlNanos;
    private final Map<String, Entry> bySubject = new ConcurrentHashMap<>();
    private final Map<UUID, Entry> byId = new ConcurrentHashMap<>();

    public UserDirectory(Pool pool, ConnectionLossRetry retry,
            @ConfigProperty(name = "lectern.auth.user-cache-ttl", defaultValue = "60s") Duration ttl) {
        this.pool = pool;
        this.retry = retry;
        this.ttlNanos = ttl.toNanos();
    }

    /** The user for this subject, created as a learner if it is the first request with it. */
    public Uni<Known> provision(String subject, String displayName) {
        Entry cached = bySubject.get(subject);
        if (cached != null && cached.known().isPresent() && fresh(cached)) {
            return Uni.createFrom().item(cached.known().get());
        }
        // ON CONFLICT makes concurrent first requests of one subject converge on one row, and a repeat after a lost
        // connection harmless: the authentication path runs outside any endpoint, so it retries here.
        String name = displayName == null || displayName.isBlank() ? null : truncate(displayName);
        return retry.idempotent(() -> pool.preparedQuery("""
                INSERT INTO users (id, external_subject, display_name, roles, created_at, updated_at, last_seen_at)
                VALUES ($1, $2, $3, ARRAY['learner'], now(), now(), now())
                ON CONFLICT (external_subject) DO UPDATE SET last_seen_at = now()
                RETURNING id, roles""")
                .execute(Tuple.of(Ids.newId(), subject, name)))
                .map(rows -> {
                    Known known = known(rows.iterator().next());
                    bySubject.put(subject, new Entry(Optional.of(known), System.nanoTime() + ttlNanos));
                    return known;
                });
    }

    /** The user with this id, if any. */
    public Uni<Optional<Known>> find(UUID userId) {
        Entry cached = byId.get(userId);
        if (cached != null && fresh(cached)) {
            return Uni.createFrom().item(cached.known());
        }
        return retry.idempotent(() -> pool.preparedQuery("SELECT id, roles FROM users WHERE id = $1").execute(Tuple.of(userId)))
                .map(rows -> {
                    Optional<Known> known = rows.iterator().hasNext() ? Optional.of(known(rows.iterator().next())) : Optional.empty();
                    byId.put(userId, new Entry(known, System.nanoTime() + ttlNanos));
                    return known;
                });
    }

    /** Forgets everything cached, after a user's roles changed or the user was erased. */
    public void forgetAll() {
        bySubject.clear();
        byId.clear();
    }

    private boolean fresh(Entry entry) {
        return entry.expiresAtNanos() - System.nanoTime() > 0;
    }

    private static Known known(Row row) {
        return new Known(row.getUUID("id"), Set.of(row.getArrayOfStrings("roles")));
    }

    private static String truncate(String name) {
        String trimmed = name.trim();
        return trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed;
    }
}
