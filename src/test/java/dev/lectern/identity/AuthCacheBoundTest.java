package dev.lectern.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.Callers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The authentication caches hold at most {@code lectern.auth.cache-size} entries however many distinct ids callers
 * send: a flood of unknown {@code X-On-Behalf-Of} ids and of well-formed but unknown API keys (each cached as
 * "unknown", so repeating it costs no lookup) leaves each cache at its bound, evicting the oldest entries. Before
 * quarkus-cache, both were plain maps: the users one grew by one entry per id for good.
 */
@QuarkusTest
@TestProfile(AuthCacheBoundTest.SmallCaches.class)
class AuthCacheBoundTest {

    private static final int BOUND = 50;
    private static final int FLOOD = BOUND * 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static class SmallCaches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lectern.auth.cache-size", Integer.toString(BOUND));
        }
    }

    @CacheName(UserDirectory.BY_ID)
    Cache usersById;

    @CacheName(ApiKeyVerifier.CACHE)
    Cache apiKeys;

    @jakarta.inject.Inject
    MeterRegistry metrics;

    @Test
    void aFloodOfUnknownOnBehalfOfIdsStaysWithinTheBound() throws Exception {
        Callers.Caller service = Callers.newUser("service");
        for (int i = 0; i < FLOOD; i++) {
            service.request()
                    .header("X-On-Behalf-Of", UUID.randomUUID().toString())
                    .when()
                    .get("/api/v1/me")
                    .then()
                    .statusCode(400);
        }
        awaitAtMostBound(usersById);
        assertThat(evictions(UserDirectory.BY_ID))
                .as("evictions counted in the cache metrics")
                .isGreaterThan(0);
    }

    @Test
    void aFloodOfWellFormedUnknownApiKeysStaysWithinTheBound() throws Exception {
        for (int i = 0; i < FLOOD; i++) {
            Callers.anonymous()
                    .header("X-Api-Key", randomKey())
                    .when()
                    .get("/api/v1/me")
                    .then()
                    .statusCode(401);
        }
        awaitAtMostBound(apiKeys);
        assertThat(evictions(ApiKeyVerifier.CACHE)).isGreaterThan(0);
    }

    /** Caffeine evicts in its maintenance cycle, which may trail the writes by a moment. */
    private static void awaitAtMostBound(Cache cache) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int size;
        while ((size = cache.as(CaffeineCache.class).keySet().size()) > BOUND && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(size)
                .as("entries in %s after %d distinct ids", cache.getName(), FLOOD)
                .isLessThanOrEqualTo(BOUND);
    }

    private double evictions(String cache) {
        return metrics.get("cache.evictions")
                .tag("cache", cache)
                .functionCounter()
                .count();
    }

    private static String randomKey() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            prefix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "lk_" + prefix + "_"
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
