package dev.lectern.platform;

import io.smallrye.mutiny.Uni;

/** Work that runs to its end even when its subscriber cancels. */
public final class Uncancellable {

    private Uncancellable() {}

    /**
     * {@code work}, subscribed at once on the caller's thread (and so on its Vert.x context), with its outcome passed
     * on; a cancellation from downstream is not passed up. The REST layer cancels a request's pipeline when the client
     * disconnects: some pipelines must not stop half-way, see {@link UncancellableTransaction} and {@link Idempotency}.
     */
    public static <T> Uni<T> of(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
    }
}
