package dev.lectern.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Lectern's own database settings, beside Quarkus' {@code quarkus.datasource.*}. The URL-derived settings
 * ({@code DATABASE_URL}, {@code DATABASE_DIRECT_URL}) are turned into Quarkus properties by
 * {@link DatabaseConfigSourceFactory}, which also reads {@link #localName()}, {@link #createIfAbsent()} and
 * {@link #pgbouncer()} before this mapping exists; they are declared here so that all of them are documented in one place.
 */
@ConfigMapping(prefix = "lectern.database")
public interface DatabaseConfig {

    /**
     * Time to open a TCP connection to the database. The Vert.x default is 60 s, which would hold every request
     * for a minute when the database host silently drops packets; Neon wakes a suspended compute in well under this.
     */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * Longest a request waits for a pooled connection (including opening one) before failing with 503. Bounds the
     * answer time during an outage; the Vert.x default is 30 s.
     */
    @WithDefault("5s")
    Duration acquireTimeout();

    /** Transparent retries of idempotent work after a lost connection; see {@link ConnectionLossRetry}. */
    Retry retry();

    /** Local database name for dev and test runs without {@code DATABASE_URL} ({@code LECTERN_DATABASE_LOCAL_NAME}). */
    Optional<String> localName();

    /** Create the local dev/test database when absent. */
    @WithDefault("true")
    boolean createIfAbsent();

    /** {@code auto} (detect a pooler from the URL), {@code true} or {@code false}: see {@link DatabaseUrl#quarkusProperties(boolean)}. */
    @WithDefault("auto")
    String pgbouncer();

    interface Retry {

        /**
         * Attempts after the first; 0 turns retries off. Five, 50 to 800 ms apart: a storm of terminated backends (a
         * Neon compute restart) can take more than one retry on a busy host.
         */
        @WithDefault("5")
        int attempts();

        /** Wait before the first retry, doubled before each further one. */
        @WithDefault("50ms")
        Duration backoff();
    }
}
