package dev.lectern.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two gauges of an outbox (the index outbox, the xAPI outbox): how many rows wait ({@code <prefix>.outbox.depth})
 * and the age of the oldest ({@code <prefix>.lag}, seconds), refreshed after each run from the store's count.
 */
public final class OutboxGauges {

    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong lagSeconds = new AtomicLong();

    public OutboxGauges(MeterRegistry registry, String prefix, String depthDescription, String lagDescription) {
        Gauge.builder(prefix + ".outbox.depth", depth, AtomicLong::get)
                .description(depthDescription)
                .register(registry);
        Gauge.builder(prefix + ".lag", lagSeconds, AtomicLong::get)
                .baseUnit("seconds")
                .description(lagDescription)
                .register(registry);
    }

    /** Sets both gauges from the store's {depth, lag in seconds}. */
    public Uni<Void> refresh(Uni<long[]> depthAndLag) {
        return depthAndLag
                .invoke(v -> {
                    depth.set(v[0]);
                    lagSeconds.set(v[1]);
                })
                .replaceWithVoid();
    }
}
