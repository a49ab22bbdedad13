package dev.lectern.platform;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The runs of one background job (variant purge, index outbox, weight fits) and their end at shutdown: once
 * {@link #stopAndAwait} is called no new run starts, loops that check {@link #stopping()} end after their current
 * step, and shutdown waits a bounded time for the runs in flight before the connection pool closes.
 */
public final class BackgroundRuns {

    private volatile boolean stopping;
    private final Set<CompletableFuture<Void>> running = ConcurrentHashMap.newKeySet();

    public boolean stopping() {
        return stopping;
    }

    /** Runs {@code run} and remembers it as in flight until it ends; does nothing once shutdown has begun. */
    public Uni<Void> track(Supplier<Uni<Void>> run) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        running.add(done);
        return run.get().onTermination().invoke(() -> {
            done.complete(null);
            running.remove(done);
        });
    }

    /**
     * A scheduled run: {@link #track tracked}, and a failure logged as a warning naming {@code what} and swallowed, so
     * the next run starts as usual (the work it left is still there: outbox rows, expired rows).
     */
    public Uni<Void> scheduled(Supplier<Uni<?>> run, Logger log, String what) {
        return track(() -> run.get()
                .onFailure()
                .invoke(e -> log.warnf("%s failed: %s", what, e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid());
    }

    /**
     * An outbox run's claims: {@code claim} again and again while it claims something, until {@code maxClaims} or
     * shutdown; the empty claim that ends the run is not passed on.
     */
    public <T> Multi<List<T>> claims(Supplier<Uni<List<T>>> claim, long maxClaims) {
        return Multi.createBy()
                .repeating()
                .<List<T>>uni(claim::get)
                .whilst(claimed -> !claimed.isEmpty() && !stopping)
                .select()
                .first(maxClaims)
                .select()
                .where(claimed -> !claimed.isEmpty());
    }

    /** Stops new runs and waits up to {@code max} for those in flight; logs {@code stillRunning} if one outlasts it. */
    public void stopAndAwait(Duration max, Logger log, String stillRunning) {
        stopping = true;
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn(stillRunning);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Failures are logged by the run itself.
        }
    }
}
