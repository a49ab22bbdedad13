package dev.lectern.index.vector;

import dev.lectern.index.vector.InProcessVectorIndex.Strategy;
import dev.lectern.index.vector.InProcessVectorIndex.Tuning;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/**
 * {@code lectern.index.vector.*} (environment: {@code LECTERN_INDEX_VECTOR_*}): how the in-process index searches
 * (ignored with Qdrant). {@link InProcessVectorIndex} explains the exact scan and the shortlist.
 */
@ConfigMapping(prefix = "lectern.index.vector")
public interface InProcessIndexConfig {

    /**
     * {@code auto}: a shortlist from one-bit codes, re-scored exactly, where the search is larger than
     * {@code exact-below} (the default); {@code exact}: always scan ({@code LECTERN_INDEX_VECTOR_SEARCH}).
     */
    @WithDefault("auto")
    Strategy search();

    /**
     * Searches that would score at most this many points (the whole index, or what a filter passes) scan them exactly
     * ({@code LECTERN_INDEX_VECTOR_EXACT_BELOW}).
     */
    @WithDefault("20000")
    @Min(0)
    int exactBelow();

    /**
     * Points re-scored exactly per hit asked for, at least, when a search takes a shortlist from the codes: recall
     * against time ({@code LECTERN_INDEX_VECTOR_SHORTLIST_PER_HIT}).
     */
    @WithDefault("25")
    @Min(1)
    int shortlistPerHit();

    default Tuning tuning() {
        return new Tuning(search(), exactBelow(), shortlistPerHit());
    }
}
