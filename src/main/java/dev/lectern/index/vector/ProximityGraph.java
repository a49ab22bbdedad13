package dev.lectern.index.vector;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * A navigable proximity graph (jvector's Vamana graph with an HNSW-style hierarchy) over the slots of one generation
 * of {@link InProcessVectorIndex}: node {@code n} is slot {@code n}. Nodes are added in slot order by one thread;
 * {@link #built()} says how many are in, and searches run concurrently with the additions (jvector's graph is built
 * for that). Nodes are never removed: a deleted slot stays a waypoint that searches pass through but never return,
 * and the index replaces the whole graph once too many of its nodes are dead.
 *
 * <p>Scores are jvector's dot-product similarity {@code (1 + cosine) / 2} over normalised vectors, computed with
 * {@link InProcessVectorIndex#dot} straight on the index's own arrays (no copies, no jvector vector types).
 */
final class ProximityGraph {

    private static final VectorTypeSupport TYPES =
            VectorizationProvider.getInstance().getVectorTypeSupport();
    /** jvector's defaults: room for 20 % more neighbours while inserting, and Vamana's α for longer edges. */
    private static final float NEIGHBOR_OVERFLOW = 1.2f;

    private static final float ALPHA = 1.2f;

    private final IntFunction<float[]> vectors;
    private final int dimension;
    private final GraphIndexBuilder builder;
    private volatile int built;

    /**
     * @param vectors the normalised vector of a slot; slots below {@link #built()} must keep their vector unchanged
     * @param degree most neighbours a node keeps per layer
     * @param beamWidth candidates kept while looking for a new node's neighbours
     */
    ProximityGraph(IntFunction<float[]> vectors, int dimension, int degree, int beamWidth) {
        this.vectors = vectors;
        this.dimension = dimension;
        // The executors only serve bulk operations (build, cleanup) that this class never calls.
        this.builder = new GraphIndexBuilder(
                new Scores(),
                dimension,
                degree,
                beamWidth,
                NEIGHBOR_OVERFLOW,
                ALPHA,
                true,
                false,
                ForkJoinPool.commonPool(),
                ForkJoinPool.commonPool());
    }

    /** Slots {@code [0, built())} are in the graph. */
    int built() {
        return built;
    }

    /** Adds the next slot; only one thread may add. */
    void addNext() {
        int node = built;
        builder.addGraphNode(node, provider(vectors.apply(node)));
        built = node + 1;
    }

    /**
     * The {@code limit} best accepted nodes below {@code upper} (at most {@link #built()}), best first, with jvector's
     * score; {@code beamWidth} candidates (at least twice the limit) are kept while searching: more is better recall
     * and more work.
     */
    SearchResult.NodeScore[] search(float[] query, int limit, int beamWidth, int upper, IntPredicate accept) {
        if (upper == 0) {
            return new SearchResult.NodeScore[0];
        }
        Bits bits = node -> node < upper && accept.test(node);
        try (GraphSearcher searcher = new GraphSearcher(builder.getGraph())) {
            return searcher.search(provider(query), limit, Math.max(2 * limit, beamWidth), 0f, 0f, bits)
                    .getNodes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes held by the graph's adjacency lists (not the vectors, which the index owns). */
    long ramBytesUsed() {
        return builder.ramBytesUsed();
    }

    private float similarity(float[] a, int node) {
        return (1 + InProcessVectorIndex.dot(vectors.apply(node), 0, a, dimension)) / 2;
    }

    private SearchScoreProvider provider(float[] from) {
        return new DefaultSearchScoreProvider((ScoreFunction.ExactScoreFunction) node -> similarity(from, node));
    }

    /** Exact scores on the index's arrays, for building. */
    private final class Scores implements BuildScoreProvider {

        @Override
        public boolean isExact() {
            return true;
        }

        @Override
        public VectorFloat<?> approximateCentroid() {
            float[] centroid = new float[dimension];
            int n = built;
            for (int node = 0; node < n; node++) {
                float[] v = vectors.apply(node);
                for (int d = 0; d < dimension; d++) {
                    centroid[d] += v[d] / n;
                }
            }
            return TYPES.createFloatVector(centroid);
        }

        @Override
        public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
            float[] copy = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                copy[d] = vector.get(d);
            }
            return provider(copy);
        }

        @Override
        public SearchScoreProvider searchProviderFor(int node) {
            return provider(vectors.apply(node));
        }

        @Override
        public SearchScoreProvider diversityProviderFor(int node) {
            return provider(vectors.apply(node));
        }
    }
}
