package dev.lectern.identity;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * {@code X-Api-Key} authentication: user keys ({@code lk_...}) and, when {@code LECTERN_ADMIN_API_KEY} is set,
 * the bootstrap admin key. Requests without the header fall through to JWT bearer authentication.
 */
public final class ApiKeyAuthentication {

    public static final String HEADER = "X-Api-Key";

    private ApiKeyAuthentication() {}

    public static final class ApiKeyRequest extends BaseAuthenticationRequest {
        final String key;

        ApiKeyRequest(String key) {
            this.key = key;
        }
    }

    @ApplicationScoped
    public static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(
                RoutingContext context, IdentityProviderManager identityProviderManager) {
            String key = context.request().getHeader(HEADER);
            if (key == null) {
                return Uni.createFrom().optional(Optional.empty());
            }
            return identityProviderManager.authenticate(
                    HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key.trim()), context));
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            return Uni.createFrom()
                    .item(new ChallengeData(401, "WWW-Authenticate", "Bearer, ApiKey header=\"X-Api-Key\""));
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(ApiKeyRequest.class);
        }

        @Override
        public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
            return Uni.createFrom()
                    .item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
        }
    }

    @ApplicationScoped
    public static class Provider implements IdentityProvider<ApiKeyRequest> {

        private final ApiKeyVerifier verifier;
        private final MeterRegistry metrics;
        private final Optional<byte[]> adminKey;

        public Provider(ApiKeyVerifier verifier, MeterRegistry metrics, AuthConfig config) {
            this.verifier = verifier;
            this.metrics = metrics;
            this.adminKey = config.adminApiKey().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Class<ApiKeyRequest> getRequestType() {
            return ApiKeyRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
            if (adminKey.isPresent() && !request.key.startsWith("lk_")) {
                if (MessageDigest.isEqual(adminKey.get(), request.key.getBytes(StandardCharsets.UTF_8))) {
                    return Uni.createFrom()
                            .item(QuarkusSecurityIdentity.builder()
                                    .setPrincipal(new QuarkusPrincipal("admin-key"))
                                    .addRole(Roles.ADMIN)
                                    .build());
                }
                metrics.counter("lectern.auth.failures", "reason", "wrong_admin_key")
                        .increment();
                return Uni.createFrom().failure(new AuthenticationFailedException("invalid API key"));
            }
            return verifier.verify(request.key)
                    .map(verified -> verified.map(Provider::identity)
                            .orElseThrow(() -> new AuthenticationFailedException("invalid API key")));
        }

        private static SecurityIdentity identity(ApiKeyVerifier.VerifiedKey key) {
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(key.userId().toString()))
                    .addRoles(key.roles())
                    .addAttribute(Caller.USER_ID, key.userId())
                    .addAttribute("lectern.api-key-id", key.keyId());
            if (key.expiresAt() != null) {
                identity.addAttribute(Caller.KEY_EXPIRES_AT, key.expiresAt());
            }
            return identity.build();
        }
    }
}
