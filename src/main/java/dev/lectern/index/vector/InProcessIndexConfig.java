package dev.lectern.index.vector;

import dev.lectern.index.vector.InProcessVectorIndex.Strategy;
import dev.lectern.index.vector.InProcessVectorIndex.Tuning;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/**
 * {@code lectern.index.vector.*} (environment: {@code LECTERN_INDEX_VECTOR_*}): how the in-process index searches
 * (ignored with Qdrant). {@link InProcessVectorIndex} explains the exact scan and the graph walk.
 */
@ConfigMapping(prefix = "lectern.index.vector")
public interface InProcessIndexConfig {

    /**
     * {@code auto}: a graph walk where it is cheaper than a scan (the default); {@code exact}: always scan, build no
     * graph ({@code LECTERN_INDEX_VECTOR_SEARCH}).
     */
    @WithDefault("auto")
    Strategy search();

    /**
     * Searches that would score at most this many points (the whole index, or what a filter passes) scan them exactly;
     * no graph is built below it ({@code LECTERN_INDEX_VECTOR_EXACT_BELOW}).
     */
    @WithDefault("20000")
    @Min(0)
    int exactBelow();

    /** Most neighbours a graph node keeps: more is better recall, more memory and a slower build ({@code LECTERN_INDEX_VECTOR_GRAPH_DEGREE}). */
    @WithDefault("32")
    @Min(2)
    int graphDegree();

    /** Candidates kept while inserting a node: build quality against build time ({@code LECTERN_INDEX_VECTOR_GRAPH_BEAM_WIDTH}). */
    @WithDefault("100")
    @Min(1)
    int graphBeamWidth();

    /** Candidates kept while searching: recall against latency ({@code LECTERN_INDEX_VECTOR_SEARCH_BEAM_WIDTH}). */
    @WithDefault("100")
    @Min(1)
    int searchBeamWidth();

    default Tuning tuning() {
        return new Tuning(
                search(),
                exactBelow(),
                graphDegree(),
                graphBeamWidth(),
                searchBeamWidth(),
                Tuning.DEFAULT.minGraphShare());
    }
}
