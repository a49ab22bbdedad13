package dev.lectern.index.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code lectern.index.*} (environment: {@code LECTERN_INDEX_*}): the outbox worker that runs on every replica. */
@ConfigMapping(prefix = "lectern.index")
public interface IndexConfig {

    /** How often each replica drains the index outbox ({@code LECTERN_INDEX_POLL_EVERY}; read by {@link IndexWorker}'s schedule). */
    @WithDefault("1s")
    Duration pollEvery();

    /** Wait after start before the first drain ({@code LECTERN_INDEX_START_DELAY}; read by {@link IndexWorker}'s schedule). */
    @WithDefault("1s")
    Duration startDelay();

    /**
     * Chapters reconciled at once per replica, and outbox rows claimed per round trip: while one is read, chunked or
     * written, another keeps the model busy ({@code LECTERN_INDEX_CONCURRENCY}).
     */
    @WithDefault("2")
    int concurrency();

    /** How long a claimed outbox row is held before another replica may take it ({@code LECTERN_INDEX_LEASE}). */
    @WithDefault("120s")
    Duration lease();

    /** Longest wait before a failed chapter is retried, exponential from 1 s ({@code LECTERN_INDEX_MAX_BACKOFF}). */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Claims per scheduled run before it yields to the next ({@code LECTERN_INDEX_MAX_CLAIMS_PER_RUN}). */
    @WithDefault("100")
    int maxClaimsPerRun();

    /** Whether this replica drains the outbox at all ({@code LECTERN_INDEX_WORKER_ENABLED}). */
    @WithDefault("true")
    boolean workerEnabled();
}
