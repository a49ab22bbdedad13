package dev.lectern.xapi;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code lectern.xapi.*} (environment: {@code LECTERN_XAPI_*}): xAPI statements for the platform's Learning Record Store.
 */
@ConfigMapping(prefix = "lectern.xapi")
public interface XapiConfig {

    /** How an actor is identified: the platform's account (default) or, opted in, the learner's e-mail. */
    enum Actor {
        account,
        mbox
    }

    /**
     * Whether events write statements ({@code LECTERN_XAPI_ENABLED}). Unset: on exactly when an endpoint is set. On
     * without an endpoint, statements are recorded and listed but wait, queued, until one is configured.
     */
    Optional<Boolean> enabled();

    /** The LRS's xAPI base, statements are POSTed to {@code <endpoint>/statements} ({@code LECTERN_XAPI_ENDPOINT}). */
    Optional<String> endpoint();

    /** Basic auth of the LRS ({@code LECTERN_XAPI_USERNAME}, {@code LECTERN_XAPI_PASSWORD}). */
    Optional<String> username();

    Optional<String> password();

    /**
     * Base of the activity ids: {@code <base>/books/{book}/chapters/{chapter}}, {@code <base>/review-items/{id}},
     * {@code <base>/sessions/{id}} ({@code LECTERN_XAPI_ACTIVITY_BASE}); set it to the service's public URL.
     */
    @WithDefault("http://localhost:8080")
    String activityBase();

    /** The actor's {@code account.homePage}: the platform that knows the user ({@code LECTERN_XAPI_ACCOUNT_HOME_PAGE}). */
    Optional<String> accountHomePage();

    /** {@code account} (default) or {@code mbox} ({@code LECTERN_XAPI_ACTOR}). */
    @WithDefault("account")
    Actor actor();

    /** Statements per POST ({@code LECTERN_XAPI_BATCH_SIZE}). */
    @WithDefault("50")
    int batchSize();

    /** How often each replica sends queued statements ({@code LECTERN_XAPI_POLL_EVERY}). */
    @WithDefault("1s")
    Duration pollEvery();

    /** Wait after start before the first run ({@code LECTERN_XAPI_START_DELAY}). */
    @WithDefault("2s")
    Duration startDelay();

    /** How long claimed statements are held before another replica may send them ({@code LECTERN_XAPI_LEASE}). */
    @WithDefault("60s")
    Duration lease();

    /** Longest wait before a failed batch is sent again, exponential from 1 s ({@code LECTERN_XAPI_MAX_BACKOFF}). */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Longest wait for the LRS to answer a POST ({@code LECTERN_XAPI_TIMEOUT}). */
    @WithDefault("10s")
    Duration timeout();

    /** How long delivered (and rejected) statements stay listed before the purge deletes them ({@code LECTERN_XAPI_RETENTION}). */
    @WithDefault("P30D")
    Duration retention();

    /** Whether events write statements: explicitly, or because an endpoint is set. */
    default boolean on() {
        return enabled().orElse(endpoint().filter(e -> !e.isBlank()).isPresent());
    }
}
