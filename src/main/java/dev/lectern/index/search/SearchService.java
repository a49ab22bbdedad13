package dev.lectern.index.search;

import dev.lectern.index.embed.Embedder;
import dev.lectern.index.pipeline.IndexLifecycle;
import dev.lectern.index.search.SearchViews.Filters;
import dev.lectern.index.search.SearchViews.Hit;
import dev.lectern.index.search.SearchViews.Mode;
import dev.lectern.index.search.SearchViews.SearchResponse;
import dev.lectern.index.vector.VectorFilter;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.index.vector.VectorIndexUnavailableException;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Retrieval over the chunks: dense (embedding + vector index), full-text (Postgres tsvector) and hybrid (reciprocal
 * rank fusion of both), with optional maximal-marginal-relevance diversification.
 *
 * <p>Hits are always hydrated from Postgres, which also re-checks that the chapter and book are live and, for callers
 * who may not see drafts, published: a point the index still holds for a just-deleted chapter never reaches a caller.
 */
@ApplicationScoped
public class SearchService {

    static final int RRF_K = 60;
    static final double MMR_LAMBDA = 0.5;

    private final SearchStore store;
    private final Embedder embedder;
    private final VectorIndex index;
    private final IndexLifecycle lifecycle;
    private final FullTextStore fullText;
    private final boolean fulltextFallback;

    public SearchService(
            SearchStore store,
            Embedder embedder,
            VectorIndex index,
            IndexLifecycle lifecycle,
            FullTextStore fullText,
            SearchConfig config) {
        this.store = store;
        this.embedder = embedder;
        this.index = index;
        this.lifecycle = lifecycle;
        this.fullText = fullText;
        this.fulltextFallback = config.fulltextFallback();
    }

    public Uni<SearchResponse> search(
            String query, int limit, Mode mode, Filters filters, Double threshold, boolean diversify, boolean drafts) {
        return resolve(filters, drafts)
                .chain(scope -> candidates(query, limit, mode, scope, threshold, diversify)
                        .map(c -> new SearchResponse(query, mode, null, hits(c, limit)))
                        .onFailure(VectorIndexUnavailableException.class)
                        .recoverWithUni(e -> {
                            if (!fulltextFallback || mode == Mode.FULLTEXT) {
                                return Uni.createFrom().failure(e);
                            }
                            return candidates(query, limit, Mode.FULLTEXT, scope, threshold, diversify)
                                    .map(c -> new SearchResponse(query, Mode.FULLTEXT, true, hits(c, limit)));
                        }));
    }

    private static List<Hit> hits(List<Candidate> candidates, int limit) {
        return candidates.stream().limit(limit).map(Candidate::hit).toList();
    }

    /** Ranked, hydrated candidates (more than {@code limit} when re-ranking needs room). */
    Uni<List<Candidate>> candidates(
            String query, int limit, Mode mode, SearchScope scope, Double threshold, boolean diversify) {
        int pool = mode == Mode.HYBRID || diversify ? Math.max(limit * 4, 40) : limit;
        Uni<float[]> queryVector = mode != Mode.FULLTEXT || diversify
                ? embedder.embedQuery(query).memoize().indefinitely()
                : Uni.createFrom().nullItem();
        // Hybrid: the full-text query runs in PostgreSQL while the question is embedded and the vector index searched.
        Uni<List<ScoredChunk>> lexical = mode == Mode.DENSE
                ? Uni.createFrom().item(List.of())
                : fullText.search(query, pool, scope, mode == Mode.HYBRID ? null : threshold);
        Uni<List<ScoredChunk>> semantic = mode == Mode.FULLTEXT
                ? Uni.createFrom().item(List.of())
                : queryVector.chain(vector -> dense(vector, pool, scope, threshold));
        return Uni.combine()
                .all()
                .unis(queryVector, semantic, lexical)
                .asTuple()
                .chain(t -> {
                    float[] vector = t.getItem1();
                    List<ScoredChunk> ranked = switch (mode) {
                        case DENSE -> t.getItem2();
                        case FULLTEXT -> t.getItem3();
                        case HYBRID -> fuse(List.of(t.getItem2(), t.getItem3()));
                    };
                    return hydrate(ranked, scope.drafts())
                            .map(c -> diversify && vector != null ? mmr(vector, c, limit) : c);
                });
    }

    private Uni<List<ScoredChunk>> dense(float[] vector, int limit, SearchScope scope, Double threshold) {
        if (lifecycle.state() != IndexLifecycle.State.READY) {
            // Kick preparation (it retries) but do not serve a half-loaded index.
            return lifecycle
                    .ready()
                    .chain(ready -> ready
                            ? dense(vector, limit, scope, threshold)
                            : Uni.createFrom()
                                    .failure(new VectorIndexUnavailableException(
                                            "the vector index is still being prepared", null)));
        }
        // Over-fetch a little when drafts are filtered out after the index answers.
        int fetch = scope.drafts() ? limit : limit + Math.min(limit, 20);
        return index.search(vector, fetch, scope.vector())
                .map(hits -> hits.stream()
                        .filter(h -> threshold == null || h.score() >= threshold)
                        .map(h -> new ScoredChunk(h.id(), h.score()))
                        .toList());
    }

    /** Reciprocal rank fusion (Cormack et al., SIGIR 2009): score = Σ 1 / (k + rank), k = 60. */
    static List<ScoredChunk> fuse(List<List<ScoredChunk>> rankings) {
        Map<UUID, Double> fused = new LinkedHashMap<>();
        for (List<ScoredChunk> ranking : rankings) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                fused.merge(ranking.get(rank).id(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return fused.entrySet().stream()
                .map(e -> new ScoredChunk(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingDouble(ScoredChunk::score).reversed())
                .toList();
    }

    /**
     * Maximal marginal relevance (Carbonell and Goldstein, 1998): picks, one at a time, the candidate maximising
     * λ·sim(query, d) − (1−λ)·max sim(d, picked), with cosine similarity of the stored vectors, λ = 0.5 (equal weight to relevance and novelty).
     */
    static List<Candidate> mmr(float[] query, List<Candidate> candidates, int limit) {
        List<Candidate> rest = new ArrayList<>(
                candidates.stream().filter(c -> c.embedding() != null).toList());
        List<Candidate> picked = new ArrayList<>();
        while (!rest.isEmpty() && picked.size() < limit) {
            Candidate best = null;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (Candidate c : rest) {
                double redundancy = 0;
                for (Candidate p : picked) {
                    redundancy = Math.max(redundancy, cosine(c.embedding(), p.embedding()));
                }
                double value = MMR_LAMBDA * cosine(query, c.embedding()) - (1 - MMR_LAMBDA) * redundancy;
                if (value > bestValue) {
                    bestValue = value;
                    best = c;
                }
            }
            picked.add(best);
            rest.remove(best);
        }
        return picked;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Hit details from Postgres, in the ranking's order, dropping what the caller may not see or what is gone. */
    Uni<List<Candidate>> hydrate(List<ScoredChunk> ranked, boolean drafts) {
        return store.hydrate(ranked, drafts);
    }

    /** Slugs and codes to ids; an unknown book or chapter is a 404, not an empty result that hides a typo. */
    Uni<SearchScope> resolve(Filters filters, boolean drafts) {
        Filters f = filters == null ? Filters.NONE : filters;
        return store.filterIds(f.book(), f.chapters(), drafts).map(ids -> {
            if (f.book() != null && ids.bookId() == null) {
                throw ProblemException.notFound("book '" + f.book() + "' not found");
            }
            List<UUID> chapterIds = null;
            if (f.chapters() != null && !f.chapters().isEmpty()) {
                List<String> missing = f.chapters().stream()
                        .filter(s -> !ids.foundChapterSlugs().contains(s))
                        .distinct()
                        .toList();
                if (!missing.isEmpty()) {
                    throw ProblemException.notFound(
                            "chapter" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " not found"
                                    + (f.book() == null ? "" : " in book '" + f.book() + "'"));
                }
                chapterIds = ids.chapterIds();
            }
            return new SearchScope(
                    new VectorFilter(
                            ids.bookId(),
                            chapterIds,
                            emptyToNull(f.sections()),
                            emptyToNull(f.difficulty()),
                            emptyToNull(f.language()),
                            emptyToNull(f.outcomes())),
                    drafts);
        });
    }

    private static <T> List<T> emptyToNull(List<T> values) {
        return values == null || values.isEmpty() ? null : values;
    }
}
