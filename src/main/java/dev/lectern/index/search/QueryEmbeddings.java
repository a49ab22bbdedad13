package dev.lectern.index.search;

import dev.lectern.index.embed.Embedder;
import io.quarkus.cache.Cache;
import io.smallrye.mutiny.Uni;

/**
 * Search queries' embeddings, with a bounded cache: quarkus-cache's {@value #CACHE} (Caffeine,
 * {@code lectern.search.query-cache-size} entries, least recently and least frequently used dropped first, with the
 * {@code cache_*} metrics); a size of 0 embeds every query. A class asking the same questions skips the model's
 * several milliseconds of CPU per search, and concurrent searches for the same new question embed it once. The model
 * is part of the key, so vectors of two models are never mixed; a failed embedding is not cached.
 */
final class QueryEmbeddings {

    static final String CACHE = "lectern-query-embeddings";

    private record Key(String model, String text) {}

    private final Embedder embedder;
    /** Null when the cache is off. */
    private final Cache cache;

    QueryEmbeddings(Embedder embedder, Cache cache, long size) {
        this.embedder = embedder;
        this.cache = size == 0 ? null : cache;
    }

    /**
     * The query's embedding, from the cache when the same model embedded the same text before. A cached array is
     * shared: nothing downstream writes into a query vector (the indexes normalise into copies).
     */
    Uni<float[]> embed(String query) {
        if (cache == null) {
            return embedder.embedQuery(query);
        }
        return cache.getAsync(new Key(embedder.model(), query), key -> embedder.embedQuery(query));
    }
}
