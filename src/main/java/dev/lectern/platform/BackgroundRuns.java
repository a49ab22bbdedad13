package dev.lectern.platform;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The runs of one scheduled background job (variant purge, index outbox) and their end at shutdown: once
 * {@link #stopAndAwait} is called no new run starts, loops that check {@link #stopping()} end after their current
 * step, and shutdown waits a bounded time for the run in flight before the connection pool closes.
 */
public final class BackgroundRuns {

    private volatile boolean stopping;
    private volatile CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

    public boolean stopping() {
        return stopping;
    }

    /** Runs {@code run} and remembers it as the run in flight; does nothing once shutdown has begun. */
    public Uni<Void> track(Supplier<Uni<Void>> run) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        running = done;
        return run.get().onTermination().invoke(() -> done.complete(null));
    }

    /** Stops new runs and waits up to {@code max} for the one in flight; logs {@code stillRunning} if it outlasts it. */
    public void stopAndAwait(Duration max, Logger log, String stillRunning) {
        stopping = true;
        try {
            running.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn(stillRunning);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Failures are logged by the run itself.
        }
    }
}
