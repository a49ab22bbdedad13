package dev.lectern.index.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lectern.index.embed.Embedder;
import io.smallrye.mutiny.Uni;

/**
 * Search queries' embeddings, with a bounded cache ({@code lectern.search.query-cache-size} entries, least recently
 * and least frequently used dropped first; 0 embeds every query). A class asking the same questions skips the model's
 * several milliseconds of CPU per search. The model is part of the key, so vectors of two models are never mixed.
 */
final class QueryEmbeddings {

    private record Key(String model, String text) {}

    private final Embedder embedder;
    /** Null when the cache is off. */
    private final Cache<Key, float[]> cache;

    QueryEmbeddings(Embedder embedder, long size) {
        this.embedder = embedder;
        // Eviction on the calling thread: a few map operations, and the bound holds at once.
        this.cache = size == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(size)
                        .executor(Runnable::run)
                        .build();
    }

    /**
     * The query's embedding, from the cache when the same model embedded the same text before. A cached array is
     * shared: nothing downstream writes into a query vector (the indexes normalise into copies).
     */
    Uni<float[]> embed(String query) {
        if (cache == null) {
            return embedder.embedQuery(query);
        }
        Key key = new Key(embedder.model(), query);
        float[] cached = cache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return embedder.embedQuery(query).invoke(vector -> cache.put(key, vector));
    }
}
