package dev.lectern.index.pipeline;

import dev.lectern.index.embed.Embedder;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.index.vector.VectorPoint;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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
    private final Pool pool;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicReference<Uni<Boolean>> preparing = new AtomicReference<>();

    public IndexLifecycle(VectorIndex index, Embedder embedder, IndexStore store, Pool pool) {
        this.index = index;
        this.embedder = embedder;
        this.store = store;
        this.pool = pool;
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
        return pool.preparedQuery("""
                INSERT INTO index_outbox (chapter_id)
                SELECT DISTINCT chapter_id FROM chunks WHERE embedding_model IS DISTINCT FROM $1
                   AND NOT EXISTS (SELECT 1 FROM index_outbox o WHERE o.chapter_id = chunks.chapter_id)""")
                .execute(Tuple.of(embedder.model()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof(
                                "%d chapters have vectors of another model; queued for re-embedding", rows.rowCount());
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
        return pool.preparedQuery("""
                SELECT k.id, k.chapter_id, c.book_id, k.section_number, c.difficulty, b.language, k.embedding,
                """ + IndexStore.OUTCOME_CODES + """
                  FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
                 WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL AND k.embedding_model = $1 AND k.embedding_dim = $2
                   AND k.id > $3
                 ORDER BY k.id LIMIT $4""")
                .execute(Tuple.of(embedder.model(), embedder.dimension(), after, LOAD_BATCH))
                .map(rows -> {
                    List<VectorPoint> points = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        points.add(new VectorPoint(
                                r.getUUID("id"),
                                IndexStore.vector(r, "embedding"),
                                r.getUUID("book_id"),
                                r.getUUID("chapter_id"),
                                r.getInteger("section_number"),
                                r.getString("difficulty"),
                                r.getString("language"),
                                IndexStore.outcomeCodes(r)));
                    }
                    return points;
                });
    }
}
