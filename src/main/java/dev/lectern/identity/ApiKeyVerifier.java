package dev.lectern.identity;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.platform.ConnectionLossRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Verifies presented API keys on the request path.
 *
 * <ul>
 * <li>Malformed keys are rejected without touching the database; known and unknown prefixes are cached for
 * {@code lectern.auth.api-key-cache-ttl} in a Caffeine cache of at most {@code lectern.auth.cache-size} entries
 * (quarkus-cache, {@code cache_*} metrics), so a flood of bad keys costs one lookup per distinct prefix per TTL, not
 * one per request, and bounded memory however many distinct prefixes it tries.</li>
 * <li>Revocation through this replica invalidates its cache at once; other replicas honour it within the TTL.</li>
 * <li>{@code last_used_at} is recorded in memory and written in one batched UPDATE every
 * {@code lectern.auth.last-used-flush} (and at shutdown), never on the request's critical path.</li>
 * </ul>
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);
    static final String CACHE = "lectern-api-keys";

    /**
     * What a valid key grants: the key, its user, the roles the key carries that its user still has, and when it stops
     * working (null: never).
     */
    public record VerifiedKey(UUID keyId, UUID userId, Set<String> roles, Instant expiresAt) {}

    private record StoredKey(
            UUID keyId, UUID userId, byte[] secretHash, Set<String> roles, Instant expiresAt, Instant revokedAt) {}

    private final Pool pool;
    private final ConnectionLossRetry retry;
    private final MeterRegistry metrics;
    private final Cache cache;
    private final Map<UUID, Instant> lastUsed = new ConcurrentHashMap<>();

    public ApiKeyVerifier(Pool pool, ConnectionLossRetry retry, MeterRegistry metrics, @CacheName(CACHE) Cache cache) {
        this.pool = pool;
        this.retry = retry;
        this.metrics = metrics;
        this.cache = cache;
    }

    /** The verified key, or empty (and a counted failure) when the key is malformed, unknown, wrong, expired or revoked. */
    public Uni<Optional<VerifiedKey>> verify(String presented) {
        Optional<ApiKeySecrets.Parsed> parsed = ApiKeySecrets.parse(presented);
        if (parsed.isEmpty()) {
            return Uni.createFrom().item(fail("malformed_key"));
        }
        Uni<Optional<StoredKey>> stored = cache.getAsync(parsed.get().prefix(), this::load);
        return stored.map(key -> check(key, parsed.get().secret()));
    }

    /** Drops a cached key, e.g. after it was revoked or its user deleted. */
    public Uni<Void> invalidate(String prefix) {
        return cache.invalidate(prefix);
    }

    public Uni<Void> invalidateAll() {
        return cache.invalidateAll();
    }

    private Optional<VerifiedKey> check(Optional<StoredKey> stored, String secret) {
        if (stored.isEmpty()) {
            return fail("unknown_key");
        }
        StoredKey key = stored.get();
        if (!ApiKeySecrets.matches(secret, key.secretHash())) {
            return fail("wrong_secret");
        }
        Instant now = Instant.now();
        if (key.revokedAt() != null) {
            return fail("revoked_key");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
            return fail("expired_key");
        }
        lastUsed.put(key.keyId(), now);
        return Optional.of(new VerifiedKey(key.keyId(), key.userId(), key.roles(), key.expiresAt()));
    }

    private Optional<VerifiedKey> fail(String reason) {
        metrics.counter("lectern.auth.failures", "reason", reason).increment();
        return Optional.empty();
    }

    /** A read on the authentication path, outside any endpoint: retried here after a lost connection. */
    private Uni<Optional<StoredKey>> load(String prefix) {
        return retry.idempotent(() -> pool.preparedQuery("""
                SELECT k.id, k.user_id, k.secret_hash, k.roles, k.expires_at, k.revoked_at, u.roles AS user_roles
                FROM api_keys k JOIN users u ON u.id = k.user_id
                WHERE k.prefix = $1""").execute(Tuple.of(prefix)))
                .map(ApiKeyVerifier::toKey);
    }

    private static Optional<StoredKey> toKey(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return Optional.empty();
        }
        Row row = it.next();
        Set<String> roles = new HashSet<>(Set.of(row.getArrayOfStrings("roles")));
        roles.retainAll(Set.of(row.getArrayOfStrings("user_roles")));
        return Optional.of(new StoredKey(
                row.getUUID("id"),
                row.getUUID("user_id"),
                row.getBuffer("secret_hash").getBytes(),
                Set.copyOf(roles),
                instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at"))));
    }

    /** Writes the recorded last-used times in one statement. */
    @Scheduled(every = "${lectern.auth.last-used-flush}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, Instant> batch = new java.util.HashMap<>(lastUsed);
        batch.forEach(lastUsed::remove);
        UUID[] ids = batch.keySet().toArray(UUID[]::new);
        OffsetDateTime[] times = new OffsetDateTime[ids.length];
        for (int i = 0; i < ids.length; i++) {
            times[i] = batch.get(ids[i]).atOffset(ZoneOffset.UTC);
        }
        return pool.preparedQuery("""
                UPDATE api_keys k SET last_used_at = GREATEST(coalesce(k.last_used_at, v.t), v.t)
                FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
                WHERE k.id = v.id""")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(times))
                .onFailure()
                .invoke(e -> {
                    // Keep the times for the next round rather than lose them.
                    batch.forEach(lastUsed::putIfAbsent);
                    LOG.warnf("could not record API key use: %s", e.getMessage());
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        try {
            flushLastUsed().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("could not record API key use at shutdown: %s", e.getMessage());
        }
    }
}
