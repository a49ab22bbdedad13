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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Retrieval over the chunks: dense (embedding + vector index), full-text (Postgres tsvector) and hybrid (a
 * score-aware convex fusion of both, see {@link #fuse}), with optional maximal-marginal-relevance diversification.
 *
 * <p>Hits are always hydrated from Postgres, which also re-checks that the chapter and book are live and, for callers
 * who may not see drafts, published: a point the index still holds for a just-deleted chapter never reaches a caller.
 */
@ApplicationScoped
public class SearchService {

    static final double MMR_LAMBDA = 0.5;
    /** Hybrid scales dense similarity between the best dense hit and the one at this rank. */
    static final int SCALE_DEPTH = 40;

    private final SearchStore store;
    private final VectorIndex index;
    private final IndexLifecycle lifecycle;
    private final FullTextStore fullText;
    private final boolean fulltextFallback;
    private final double denseWeight;
    private final QueryEmbeddings queryEmbeddings;

    public SearchService(
            SearchStore store,
            Embedder embedder,
            VectorIndex index,
            IndexLifecycle lifecycle,
            FullTextStore fullText,
            SearchConfig config) {
        this.store = store;
        this.index = index;
        this.lifecycle = lifecycle;
        this.fullText = fullText;
        this.fulltextFallback = config.fulltextFallback();
        this.denseWeight = config.hybridDenseWeight();
        this.queryEmbeddings = new QueryEmbeddings(embedder, config.queryCacheSize());
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
        Uni<float[]> queryVector = mode != Mode.FULLTEXT
                ? queryEmbeddings.embed(query).memoize().indefinitely()
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
                    Uni<List<Candidate>> ranked = switch (mode) {
                        case DENSE -> hydrate(t.getItem2(), scope.drafts());
                        case FULLTEXT -> hydrate(t.getItem3(), scope.drafts());
                        case HYBRID ->
                            hydrate(union(t.getItem2(), t.getItem3()), scope.drafts())
                                    .map(c -> fuse(vector, t.getItem2(), t.getItem3(), c, denseWeight));
                    };
                    return ranked.map(c -> diversify ? mmr(c, limit) : c);
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

    /** Dense hits first, in their order, then the full-text hits dense did not find. */
    static List<ScoredChunk> union(List<ScoredChunk> dense, List<ScoredChunk> lexical) {
        Map<UUID, ScoredChunk> all = new LinkedHashMap<>();
        dense.forEach(h -> all.putIfAbsent(h.id(), h));
        lexical.forEach(h -> all.putIfAbsent(h.id(), h));
        return List.copyOf(all.values());
    }

    /**
     * Hybrid ranking: a convex combination of the two retrievers' scores, w·dense + (1 − w)·lexical, with w =
     * {@code lectern.search.hybrid-dense-weight}. Score-aware rather than rank-based (Bruch, Gai and Ingber, "An
     * Analysis of Fusion Functions for Hybrid Retrieval", ACM TOIS 2023): reciprocal rank fusion gives dense's
     * confident first hit and a passage that merely holds one word of the question nearly the same credit, so anything
     * found by both lists outranks dense's lone best answer; a convex combination keeps how far apart the scores are.
     *
     * <ul>
     * <li><b>Dense</b>: every candidate's cosine similarity to the question, from its stored vector (so a passage only
     * full text found is scored too), scaled so that dense's best hit is 1 and its {@value #SCALE_DEPTH}th (or last)
     * is 0, which fits any model's range of similarities; lower is 0. A fixed depth rather than the list's end, so a
     * passage's score does not depend on how many hits were asked for (a context pack asks for more than a search).</li>
     * <li><b>Lexical</b>: full text's own score as it stands, the share of the question's terms a passage holds
     * (weighted by inverse document frequency, refined by ts_rank_cd, 0 to 1), and 0 for a passage it did not return. Not rescaled to its best hit: a passage holding
     * one word of six stays a weak match however weak the others are, so the any-term step cannot flood the list.</li>
     * </ul>
     * Ties keep dense's order. A candidate with no stored vector (being re-embedded) gets no dense score.
     */
    static List<Candidate> fuse(
            float[] query,
            List<ScoredChunk> dense,
            List<ScoredChunk> lexical,
            List<Candidate> candidates,
            double denseWeight) {
        double[] similarities =
                dense.stream().mapToDouble(ScoredChunk::score).sorted().toArray();
        double top = similarities.length == 0 ? 1 : similarities[similarities.length - 1];
        double floor = similarities.length == 0 ? 0 : similarities[Math.max(0, similarities.length - SCALE_DEPTH)];
        Map<UUID, Double> lexicalScores = new HashMap<>();
        lexical.forEach(h -> lexicalScores.merge(h.id(), h.score(), Math::max));
        List<Candidate> fused = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            double similarity = c.embedding() == null || dense.isEmpty() ? 0 : cosine(query, c.embedding());
            double semantic = top > floor
                    ? Math.clamp((similarity - floor) / (top - floor), 0, 1)
                    : (similarity >= top ? 1 : 0); // a single dense hit, or all alike
            double score = denseWeight * semantic
                    + (1 - denseWeight) * lexicalScores.getOrDefault(c.hit().chunkId(), 0.0);
            fused.add(c.withScore(score));
        }
        fused.sort(Comparator.comparingDouble((Candidate c) -> c.hit().score()).reversed());
        return fused;
    }

    /**
     * Maximal marginal relevance (Carbonell and Goldstein, 1998): picks, one at a time, the candidate maximising
     * λ·relevance(d) − (1−λ)·max sim(d, picked), λ = 0.5 (equal weight to relevance and novelty). Relevance is the
     * mode's own score (hybrid's fused score, dense's similarity, full text's) divided by the best candidate's, so
     * diversifying hybrid results keeps hybrid's judgement of relevance; similarity is the cosine of the stored vectors.
     */
    static List<Candidate> mmr(List<Candidate> candidates, int limit) {
        List<Candidate> rest = new ArrayList<>(
                candidates.stream().filter(c -> c.embedding() != null).toList());
        double best = rest.stream().mapToDouble(c -> c.hit().score()).max().orElse(1);
        double scale = best > 0 ? best : 1;
        List<Candidate> picked = new ArrayList<>();
        while (!rest.isEmpty() && picked.size() < limit) {
            Candidate next = null;
            double nextValue = Double.NEGATIVE_INFINITY;
            for (Candidate c : rest) {
                double redundancy = 0;
                for (Candidate p : picked) {
                    redundancy = Math.max(redundancy, cosine(c.embedding(), p.embedding()));
                }
                double value = MMR_LAMBDA * (c.hit().score() / scale) - (1 - MMR_LAMBDA) * redundancy;
                if (value > nextValue) {
                    nextValue = value;
                    next = c;
                }
            }
            picked.add(next);
            rest.remove(next);
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
