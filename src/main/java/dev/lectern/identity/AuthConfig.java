package dev.lectern.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code lectern.auth.*}: the bootstrap admin key and the authentication caches. JWT validation is configured by
 * {@code LECTERN_AUTH_JWKS_URL}, {@code LECTERN_AUTH_ISSUER} and {@code LECTERN_AUTH_AUDIENCE}, which
 * {@link AuthConfigSourceFactory} maps onto MicroProfile JWT's own settings.
 */
@ConfigMapping(prefix = "lectern.auth")
public interface AuthConfig {

    /**
     * Accepted as an admin key, for bootstrap and automation ({@code LECTERN_ADMIN_API_KEY}, which application.properties
     * maps here; {@code dev-admin-key} in dev mode).
     */
    Optional<String> adminApiKey();

    /** How long a verified (or unknown) API key is trusted before it is read again. */
    @WithDefault("30s")
    Duration apiKeyCacheTtl();

    /** How long a user's id and roles are trusted before they are read again. */
    @WithDefault("60s")
    Duration userCacheTtl();

    /** Entries each authentication cache holds at most ({@code LECTERN_AUTH_CACHE_SIZE}). */
    @WithDefault("10000")
    long cacheSize();

    /** How often recorded API key use is written to {@code api_keys.last_used_at}. */
    @WithDefault("30s")
    String lastUsedFlush();

    /** What a service acting for a user with {@code X-On-Behalf-Of} may do; see {@link Delegation}. */
    DelegationConfig delegation();

    /** What follows an erasure; see {@link Erasures}. */
    ErasureConfig erasure();

    /** {@code lectern.auth.erasure.*}. */
    interface ErasureConfig {

        /**
         * The key of the erasure token in the log ({@code LECTERN_AUTH_ERASURE_TOKEN_KEY}): with it an operator can
         * recompute a user's token to answer "was I erased?"; without it no one can link a token to a user. Unset, a
         * random key per process: tokens cannot be recomputed later.
         */
        Optional<String> tokenKey();

        /** How long after an erasure the tables it went through are analysed; erasures within it share one ANALYZE. */
        @WithDefault("10s")
        Duration analyzeDelay();
    }

    /** {@code lectern.auth.delegation.*}. */
    interface DelegationConfig {

        /**
         * The users a service may act for: those all of whose roles are among these ({@code
         * LECTERN_AUTH_DELEGATION_USERS}, default learners only). Whatever the user, the delegate acts only as a learner.
         */
        @WithDefault(Roles.LEARNER)
        Set<String> users();

        /** Whether a delegate may create API keys for the user: a credential that outlives the delegation. */
        @WithDefault("false")
        boolean createKeys();

        /** Whether a delegate may erase the user's account. */
        @WithDefault("false")
        boolean erase();
    }
}
