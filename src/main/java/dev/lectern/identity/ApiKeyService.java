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
import java.util.UUID;

/** API keys: created for a user (roles a subset of theirs), listed as metadata, revoked. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final UserRepository users;
    private final ApiKeyVerifier verifier;

    public ApiKeyService(ApiKeyRepository keys, UserRepository users, ApiKeyVerifier verifier) {
        this.keys = keys;
        this.users = users;
        this.verifier = verifier;
    }

    @UncancellableTransaction
    public Uni<CreatedApiKeyView> create(UUID userId, CreateApiKeyRequest request) {
        Instant now = Timestamps.now();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            return Uni.createFrom().failure(ProblemException.invalid("expiresAt", "must be in the future"));
        }
        return users.findById(userId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no such user"))
                .chain(user -> {
                    Set<String> allowed = Set.of(user.roles);
                    List<String> roles = request.roles() == null
                            ? List.of(user.roles)
                            : request.roles().stream().distinct().toList();
                    if (!allowed.containsAll(roles)) {
                        return Uni.createFrom()
                                .failure(ProblemException.invalid(
                                        "roles",
                                        "a key can only carry roles its user has: "
                                                + allowed.stream().sorted().toList()));
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
