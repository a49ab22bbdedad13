package dev.lectern.index.vector;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The serving index for chunk vectors, derived from Postgres and rebuildable from it. Two implementations: Qdrant
 * (when {@code QDRANT_URL} is set) and an in-process exact index (the embedded default).
 *
 * <p>All operations are idempotent; failures surface as {@link VectorIndexUnavailableException} when the index
 * cannot be reached, so callers can retry (outbox) or answer 503 (search).
 */
public interface VectorIndex {

    /** Short name for health and logs: {@code qdrant} or {@code in-process}. */
    String kind();

    /**
     * Makes sure the index can hold vectors of this model and dimension (creating the collection and its payload
     * indexes if absent). Answers {@code false} if it exists with another dimension/model and must be recreated.
     */
    Uni<Boolean> ensure(String model, int dimension);

    /** Drops everything and recreates the index for this model and dimension (a rebuild after a model change). */
    Uni<Void> recreate(String model, int dimension);

    Uni<Void> upsert(List<VectorPoint> points);

    Uni<Void> delete(Collection<UUID> ids);

    /**
     * Makes the index hold exactly {@code points} for this chapter: upserts them, then deletes the chapter's other
     * points (stale passages of an edited chapter; all of them for an empty list, e.g. a soft-deleted chapter).
     * Idempotent, so a retried outbox row converges whatever step failed last time.
     */
    Uni<Void> replaceChapter(UUID chapterId, List<VectorPoint> points);

    /** The {@code limit} nearest chunks by cosine similarity, filtered, best first. */
    Uni<List<VectorHit>> search(float[] query, int limit, VectorFilter filter);

    /**
     * The cosine similarity of the query to each of these points, for the points the index holds (one it does not hold
     * is left out), the same score {@link #search} gives a point. Hybrid search scores the passages only full text found
     * with it instead of loading their stored vectors from PostgreSQL.
     */
    Uni<Map<UUID, Double>> similarities(float[] query, Collection<UUID> ids);

    /** Number of points held (readiness, admin stats, tests). */
    Uni<Long> count();

    /** Cheap reachability check for readiness. */
    Uni<Boolean> isReachable();
}
