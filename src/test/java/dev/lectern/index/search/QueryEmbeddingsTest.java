package dev.lectern.index.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.index.embed.Embedder;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.cache.runtime.caffeine.CaffeineCacheImpl;
import io.quarkus.cache.runtime.caffeine.CaffeineCacheInfo;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lectern.search.query-cache-size}: a repeated query skips the model, a bounded number of them, per model. */
class QueryEmbeddingsTest {

    /** Answers a vector derived from the text and counts the texts it was asked to embed. */
    static class CountingEmbedder implements Embedder {

        final List<String> embedded = new ArrayList<>();
        String model = "model-a";

        @Override
        public String model() {
            return model;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public Uni<List<float[]>> embed(List<String> texts) {
            embedded.addAll(texts);
            return Uni.createFrom()
                    .item(texts.stream()
                            .map(t -> new float[] {t.length(), model.length()})
                            .toList());
        }
    }

    /** The cache as quarkus-cache builds it from {@code quarkus.cache.caffeine.lectern-query-embeddings.*}. */
    private static QueryEmbeddings embeddings(Embedder embedder, long cacheSize) {
        return new QueryEmbeddings(embedder, cache(cacheSize), cacheSize);
    }

    private static CaffeineCacheImpl cache(long size) {
        CaffeineCacheInfo info = new CaffeineCacheInfo();
        info.name = QueryEmbeddings.CACHE;
        info.maximumSize = size;
        return new CaffeineCacheImpl(info, false);
    }

    private static float[] embed(QueryEmbeddings service, String query) {
        return service.embed(query).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void aRepeatedQueryIsEmbeddedOnce() {
        CountingEmbedder embedder = new CountingEmbedder();
        QueryEmbeddings service = embeddings(embedder, 10);

        float[] first = embed(service, "what is a node?");
        float[] again = embed(service, "what is a node?");
        embed(service, "What is a node?");

        assertThat(again).isEqualTo(first);
        assertThat(embedder.embedded).containsExactly("what is a node?", "What is a node?");
    }

    @Test
    void anotherModelDoesNotReuseTheVector() {
        CountingEmbedder embedder = new CountingEmbedder();
        QueryEmbeddings service = embeddings(embedder, 10);
        embed(service, "topics");
        embedder.model = "model-bb";

        assertThat(embed(service, "topics")).containsExactly(6, 8);
        assertThat(embedder.embedded).containsExactly("topics", "topics");
    }

    @Test
    void sizeZeroEmbedsEveryQuery() {
        CountingEmbedder embedder = new CountingEmbedder();
        QueryEmbeddings service = embeddings(embedder, 0);
        embed(service, "topics");
        embed(service, "topics");

        assertThat(embedder.embedded).containsExactly("topics", "topics");
    }

    @Test
    void concurrentSearchesForANewQuestionEmbedItOnce() {
        CountingEmbedder embedder = new CountingEmbedder() {
            @Override
            public Uni<List<float[]>> embed(List<String> texts) {
                return super.embed(texts).onItem().delayIt().by(Duration.ofMillis(200));
            }
        };
        QueryEmbeddings service = embeddings(embedder, 10);
        Uni<float[]> first = service.embed("topics");
        Uni<float[]> second = service.embed("topics");
        Uni.combine().all().unis(first, second).asTuple().await().atMost(Duration.ofSeconds(5));

        assertThat(embedder.embedded).containsExactly("topics");
    }

    @Test
    void aFailedEmbeddingIsNotCached() {
        CountingEmbedder embedder = new CountingEmbedder() {
            @Override
            public Uni<List<float[]>> embed(List<String> texts) {
                return embedded.isEmpty()
                        ? Uni.createFrom()
                                .<List<float[]>>failure(new IllegalStateException("model down"))
                                .onTermination()
                                .invoke(() -> embedded.addAll(texts))
                        : super.embed(texts);
            }
        };
        QueryEmbeddings service = embeddings(embedder, 10);
        assertThat(service.embed("topics").onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(5)))
                .isNull();

        assertThat(embed(service, "topics")).containsExactly(6, 7);
    }

    @Test
    void theCacheIsBounded() throws InterruptedException {
        CountingEmbedder embedder = new CountingEmbedder();
        CaffeineCache cache = cache(5);
        QueryEmbeddings service = new QueryEmbeddings(embedder, cache, 5);
        for (int i = 0; i < 200; i++) {
            embed(service, "question " + i);
        }
        // Caffeine evicts on its own executor, a moment after the writes: the bound holds once it has run.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cache.keySet().size() > 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(cache.keySet()).hasSizeLessThanOrEqualTo(5);
        assertThat(embedder.embedded).hasSize(200);
    }
}
