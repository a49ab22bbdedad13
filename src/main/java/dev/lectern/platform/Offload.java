package dev.lectern.platform;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs CPU-heavy work (parsing a large Markdown document, unzipping a book) on the worker pool and resumes on
 * the caller's Vert.x context: Hibernate Reactive sessions are bound to that context and must be used from it.
 */
public final class Offload {

    private Offload() {}

    public static <T> Uni<T> toWorker(Supplier<T> work) {
        return resumeOnCallerContext(
                Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /**
     * Emits {@code uni}'s outcome on the Vert.x context that is current when this method is called (if any), for
     * work that completes on a thread of its own (a dedicated executor, an HTTP client's threads).
     */
    public static <T> Uni<T> resumeOnCallerContext(Uni<T> uni) {
        Context context = Vertx.currentContext();
        return context == null ? uni : uni.emitOn(r -> context.runOnContext(v -> r.run()));
    }
}
