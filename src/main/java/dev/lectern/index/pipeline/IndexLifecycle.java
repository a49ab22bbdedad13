package dev.lectern.index.pipeline;

import dev.lectern.index.embed.Embedder;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.index.vector.VectorPoint;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Prepares the serving index once per process, lazily and retried until it succeeds (Qdrant may be down at start):
 * makes sure it holds the current model's vector space, recreating it and re-embedding everything when the model or
 * dimension changed (vector spaces are never mixed), and loads the in-process index from the vectors stored in
 * Postgres. Until then the outbox waits and dense search answers 503.
 */
@ApplicationScoped
public class IndexLifecycle {

    private static final Logger LOG = Logger.getLogger(IndexLifecycle.class);
    private static final int LOAD_BATCH = 2000;
    /** Postgres orders uuids bytewise: all zeros is the least. */
    private static final UUID FIRST = new UUID(0L, 0L);

    public enum State {
        STARTING,
        LOADING,
        READY
    }

    private final VectorIndex index;
    private final Embedder embedder;
    private final IndexStore store;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicReference<Uni<Boolean>> preparing = new AtomicReference<>();

    public IndexLifecycle(VectorIndex index, Embedder embedder, IndexStore store) {
        this.index = index;
        this.embedder = embedder;
        this.store = store;
    }

    public State state() {
        return state.get();
    }

    /** True once the index is prepared; otherwise tries (at most one attempt at a time) and answers whether it worked. */
    public Uni<Boolean> ready() {
        if (state.get() == State.READY) {
            return Uni.createFrom().item(true);
        }
        Uni<Boolean> attempt = prepare().memoize().indefinitely();
        if (!preparing.compareAndSet(null, attempt)) {
            return Uni.createFrom().item(false);
        }
        return attempt.onTermination()
                .invoke(() -> preparing.set(null))
                .onFailure()
                .invoke(e -> LOG.warnf("vector index (%s) not ready yet: %s", index.kind(), e.toString()))
                .onFailure()
                .recoverWithItem(false);
    }

    private Uni<Boolean> prepare() {
        state.set(State.LOADING);
        // A remote model without a configured dimension answers one probe vector first.
        return embedder.resolveDimension()
                .chain(dimension -> index.ensure(embedder.model(), dimension))
                .chain(compatible -> compatible ? Uni.createFrom().voidItem() : recreate())
                .chain(this::enqueueOtherModels)
                .chain(() -> "in-process".equals(index.kind())
                        ? load()
                        : Uni.createFrom().item(0L))
                .invoke(loaded -> {
                    state.set(State.READY);
                    LOG.infof(
                            "vector index ready: %s, model %s (%d dimensions), %d points loaded from Postgres",
                            index.kind(), embedder.model(), embedder.dimension(), loaded);
                })
                .onFailure()
                .invoke(() -> state.set(State.STARTING))
                .replaceWith(true);
    }

    private Uni<Void> recreate() {
        LOG.infof(
                "vector index holds another model or dimension; recreating it for %s (%d) and re-embedding every chapter",
                embedder.model(), embedder.dimension());
        return index.recreate(embedder.model(), embedder.dimension())
                .chain(store::enqueueAll)
                .replaceWithVoid();
    }

    /** Chapters whose stored vectors come from another model go through the outbox, which re-embeds them. */
    private Uni<Void> enqueueOtherModels() {
        return store.enqueueOtherModels(embedder.model())
                .invoke(queued -> {
                    if (queued > 0) {
                        LOG.infof("%d chapters have vectors of another model; queued for re-embedding", queued);
                    }
                })
                .replaceWithVoid();
    }

    /** Streams every live chunk's stored vector into the in-process index, in keyset-paged batches. */
    Uni<Long> load() {
        AtomicReference<UUID> after = new AtomicReference<>(FIRST);
        return Multi.createBy()
                .repeating()
                .uni(() -> loadBatch(after.get())
                        .invoke(points -> {
                            if (!points.isEmpty()) {
                                after.set(points.get(points.size() - 1).id());
                            }
                        })
                        .call(points -> points.isEmpty() ? Uni.createFrom().voidItem() : index.upsert(points)))
                .whilst(points -> points.size() == LOAD_BATCH)
                .collect()
                .with(java.util.stream.Collectors.summingLong(List::size));
    }

    private Uni<List<VectorPoint>> loadBatch(UUID after) {
        return store.livePoints(embedder.model(), embedder.dimension(), after, LOAD_BATCH);
    }
}
