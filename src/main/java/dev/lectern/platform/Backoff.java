package dev.lectern.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The wait before an outbox's failed work is tried again (the index outbox, xAPI statements). */
public final class Backoff {

    private Backoff() {}

    /** 1 s, 2 s, 4 s ... capped at {@code max}, with ±20% jitter so replicas do not retry in lockstep. */
    public static Duration exponential(int attempts, Duration max) {
        long base = Math.min(max.toMillis(), 1000L << Math.min(20, Math.max(0, attempts - 1)));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(100, (long) (base * jitter)));
    }
}
