package dev.lectern.index.search;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** {@code lectern.search.*} (environment: {@code LECTERN_SEARCH_*}): search when the vector index is down, and full text. */
@ConfigMapping(prefix = "lectern.search")
public interface SearchConfig {

    /**
     * When the vector index is unreachable: false answers dense and hybrid search with 503 and Retry-After, true serves
     * full-text results instead, marked {@code "degraded": true} ({@code LECTERN_SEARCH_FULLTEXT_FALLBACK}).
     */
    @WithDefault("false")
    boolean fulltextFallback();

    /** Seconds sent in Retry-After with a 503 for an unreachable vector index ({@code LECTERN_SEARCH_RETRY_AFTER}). */
    @WithDefault("5")
    long retryAfter();

    /**
     * Corpus-wide full-text search ranks at most this many matching passages per step (or the limit, if more), and its
     * any-term step selects with the question's rarest terms up to this many estimated matches ({@link FullTextStore}
     * explains why); book- or chapter-scoped searches use every term and rank every match
     * ({@code LECTERN_SEARCH_FULLTEXT_CANDIDATES}).
     */
    @WithDefault("200")
    long fulltextCandidates();

    /**
     * Hybrid search's weight on dense similarity, 0 to 1; full text's score gets the rest
     * ({@code LECTERN_SEARCH_HYBRID_DENSE_WEIGHT}; {@link SearchService#fuse} explains the two scores).
     */
    @WithDefault("0.5")
    @DecimalMin("0")
    @DecimalMax("1")
    double hybridDenseWeight();

    /**
     * Query embeddings kept, keyed by the model and the query's exact text, least recently used dropped first; 0
     * embeds every query ({@code LECTERN_SEARCH_QUERY_CACHE_SIZE}). An entry is the model's vector, about 1.6 KB for
     * 384 dimensions, plus the text. A class asking the same questions skips the model's several milliseconds of CPU.
     */
    @WithDefault("1000")
    @Min(0)
    long queryCacheSize();

    /** How long the column's term statistics are cached ({@code LECTERN_SEARCH_TERM_STATISTICS_TTL}). */
    @WithDefault("10m")
    Duration termStatisticsTtl();
}
