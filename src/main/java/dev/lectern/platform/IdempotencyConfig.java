package dev.lectern.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code lectern.idempotency.*}: how long {@link Idempotency} keeps keys and their responses. */
@ConfigMapping(prefix = "lectern.idempotency")
public interface IdempotencyConfig {

    /** How long a key's response is kept for retries ({@code LECTERN_IDEMPOTENCY_RETENTION}). */
    @WithDefault("24h")
    Duration retention();

    /**
     * How long a request holds its key if it never finishes (a crashed replica), after which a retry runs again
     * ({@code LECTERN_IDEMPOTENCY_LOCK}).
     */
    @WithDefault("60s")
    Duration lock();
}
