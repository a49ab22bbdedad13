package dev.lectern.identity;

import dev.lectern.identity.IdentityViews.ApiKeyView;
import dev.lectern.identity.IdentityViews.CreateApiKeyRequest;
import dev.lectern.identity.IdentityViews.CreatedApiKeyView;
import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** API keys: created for a user (roles a subset of theirs and of the creator's), listed as metadata, revoked. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final UserRepository users;
    private final ApiKeyVerifier verifier;
    private final Delegation delegation;

    public ApiKeyService(ApiKeyRepository keys, UserRepository users, ApiKeyVerifier verifier, Delegation delegation) {
        this.keys = keys;
        this.users = users;
        this.verifier = verifier;
        this.delegation = delegation;
    }

    /**
     * A key the caller creates for themselves: no stronger than the credential creating it. Its roles are within the
     * caller's (for an API key, the roles that key carries), it expires no later than the caller's key (and, when that
     * key expires and no expiry is asked for, at the same time), and a service acting for the user may create none.
     */
    public Uni<CreatedApiKeyView> createOwn(Caller caller, CreateApiKeyRequest request) {
        return Uni.createFrom().deferred(() -> {
            UUID userId = caller.requireUser();
            delegation.checkMayCreateKeys(caller);
            Instant notAfter = caller.keyExpiresAt();
            if (notAfter != null
                    && request.expiresAt() != null
                    && request.expiresAt().isAfter(notAfter)) {
                throw ProblemException.invalid(
                        "expiresAt", "a key created with an expiring key cannot outlive it: at most " + notAfter);
            }
            CreateApiKeyRequest bounded = notAfter == null || request.expiresAt() != null
                    ? request
                    : new CreateApiKeyRequest(request.name(), request.roles(), notAfter);
            return create(userId, bounded, caller.roles());
        });
    }

    /** A key an admin creates for a user: any of the user's roles. */
    public Uni<CreatedApiKeyView> create(UUID userId, CreateApiKeyRequest request) {
        return create(userId, request, Roles.ALL);
    }

    @UncancellableTransaction
    Uni<CreatedApiKeyView> create(UUID userId, CreateApiKeyRequest request, Set<String> creatorRoles) {
        Instant now = Timestamps.now();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            return Uni.createFrom().failure(ProblemException.invalid("expiresAt", "must be in the future"));
        }
        return users.findById(userId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no such user"))
                .chain(user -> {
                    Set<String> allowed = new TreeSet<>(List.of(user.roles));
                    allowed.retainAll(creatorRoles);
                    List<String> roles = request.roles() == null
                            ? List.copyOf(allowed)
                            : request.roles().stream().distinct().toList();
                    if (roles.isEmpty() || !allowed.containsAll(roles)) {
                        return Uni.createFrom()
                                .failure(ProblemException.invalid(
                                        "roles",
                                        "a key can only carry roles both its user and the credential creating it have: "
                                                + allowed));
                    }
                    ApiKeySecrets.Generated secret = ApiKeySecrets.generate();
                    ApiKey key = new ApiKey();
                    key.id = Ids.newId();
                    key.userId = userId;
                    key.name = request.name().trim();
                    key.prefix = secret.prefix();
                    key.secretHash = secret.secretHash();
                    key.roles = roles.toArray(String[]::new);
                    key.createdAt = now;
                    key.updatedAt = now;
                    key.expiresAt = request.expiresAt();
                    return keys.persist(key)
                            .map(k -> new CreatedApiKeyView(
                                    k.id,
                                    k.name,
                                    k.prefix,
                                    List.of(k.roles),
                                    k.createdAt,
                                    k.expiresAt,
                                    secret.plaintext()));
                });
    }

    @WithSession
    public Uni<List<ApiKeyView>> list(UUID userId) {
        return keys.ofUser(userId).map(list -> list.stream().map(ApiKeyView::of).toList());
    }

    @WithSession
    public Uni<ApiKeyView> get(UUID keyId, UUID callerId, boolean admin) {
        return keys.visibleTo(keyId, callerId, admin)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(keyId))
                .map(ApiKeyView::of);
    }

    /** Revokes the key at once on this replica (its cache entry is dropped); idempotent for an already revoked key. */
    @UncancellableTransaction
    public Uni<Void> revoke(UUID keyId, UUID callerId, boolean admin) {
        return keys.visibleTo(keyId, callerId, admin)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(keyId))
                .invoke(key -> {
                    if (key.revokedAt == null) {
                        key.revokedAt = Timestamps.now();
                        key.updatedAt = key.revokedAt;
                    }
                })
                .call(key -> verifier.invalidate(key.prefix))
                .replaceWithVoid();
    }

    private static ProblemException notFound(UUID keyId) {
        return ProblemException.notFound("no API key " + keyId);
    }
}
