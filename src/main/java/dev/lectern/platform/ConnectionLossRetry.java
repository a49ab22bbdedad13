package dev.lectern.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Repeats idempotent database work, a bounded number of times, when it failed because its connection was lost
 * ({@link DatabaseFailures#connectionLost}). A pooled connection can die at any moment (Neon scaling a compute to
 * zero, {@code pg_terminate_backend}, a server restart, a network blip); the Vert.x pool drops the dead connection when
 * it notices, but the statement that was running on it, or that borrowed it just before, fails. Running the work
 * again on a fresh connection hides that from the caller when, and only when, running it twice is harmless.
 *
 * <p>Each attempt runs on the Vert.x context the work was first subscribed on (the request's duplicated context), so
 * Hibernate Reactive sessions and the request's CDI context behave as in the first attempt. Backoff doubles from
 * {@code lectern.database.retry.backoff}; {@code lectern.database.retry.attempts} bounds the attempts after the first.
 */
@ApplicationScoped
public class ConnectionLossRetry {

    private static final Logger LOG = Logger.getLogger(ConnectionLossRetry.class);

    private final int attempts;
    private final long backoffMillis;
    private final MeterRegistry metrics;

    public ConnectionLossRetry(DatabaseConfig config, MeterRegistry metrics) {
        this.attempts = config.retry().attempts();
        this.backoffMillis = Math.max(1, config.retry().backoff().toMillis());
        this.metrics = metrics;
    }

    /** {@code work} (called once per attempt), repeated after a lost connection; the caller vouches it is idempotent. */
    public <T> Uni<T> idempotent(Supplier<? extends Uni<? extends T>> work) {
        return Uni.createFrom().deferred(() -> attempt(work, 0, Vertx.currentContext()));
    }

    private <T> Uni<T> attempt(Supplier<? extends Uni<? extends T>> work, int retried, Context context) {
        return Uni.createFrom()
                .<T>deferred(work::get)
                .onFailure(e -> retried < attempts && DatabaseFailures.connectionLost(e))
                .recoverWithUni(e -> {
                    long wait = backoffMillis << retried;
                    LOG.debugf(
                            "database connection lost (%s); retry %d of %d in %d ms", e, retried + 1, attempts, wait);
                    metrics.counter("lectern.database.retries").increment();
                    return pause(context, wait).chain(() -> attempt(work, retried + 1, context));
                });
    }

    private static Uni<Void> pause(Context context, long millis) {
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis));
        }
        // A timer set from inside the context fires on it, so the next attempt runs where the first did.
        return Uni.createFrom()
                .emitter(emitter -> context.runOnContext(
                        ignored -> context.owner().setTimer(millis, id -> emitter.complete(null))));
    }
}
