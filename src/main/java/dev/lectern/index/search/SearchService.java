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
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            SearchConfig config,
            @CacheName(QueryEmbeddings.CACHE) Cache queryCache) {
        this.store = store;
        this.index = index;
        this.lifecycle = lifecycle;
        this.fullText = fullText;
        this.fulltextFallback = config.fulltextFallback();
        this.denseWeight = config.hybridDenseWeight();
        this.queryEmbeddings = new QueryEmbeddings(embedder, queryCache, config.queryCacheSize());
    }

    public Uni<SearchResponse> search(
            String query, int limit, Mode mode, Filters filters, Double threshold, boolean diversify, boolean drafts) {
        return resolve(filters, drafts)
                .chain(scope -> hits(query, limit, mode, scope, threshold, diversify)
                        .map(hits -> new SearchResponse(query, mode, null, hits))
                        .onFailure(VectorIndexUnavailableException.class)
                        .recoverWithUni(e -> {
                            if (!fulltextFallback || mode == Mode.FULLTEXT) {
                                return Uni.createFrom().failure(e);
                            }
                            return hits(query, limit, Mode.FULLTEXT, scope, threshold, diversify)
                                    .map(hits -> new SearchResponse(query, Mode.FULLTEXT, true, hits));
                        }));
    }

    /**
     * The best {@code limit} hits the caller may see. Only those are hydrated (and the few more that drafts or a deleted
     * chapter might cost), not the whole ranking: hybrid ranks up to twice its pool of 40 before hydrating, and loading
     * every candidate's row was a large share of its time. Diversifying re-ranks the whole pool by the stored vectors,
     * so then every candidate is hydrated, with its vector.
     */
    private Uni<List<Hit>> hits(
            String query, int limit, Mode mode, SearchScope scope, Double threshold, boolean diversify) {
        return ranked(query, limit, mode, scope, threshold, diversify)
                .chain(ranked -> diversify
                        ? store.hydrate(ranked, scope.drafts(), true).map(c -> mmr(c, limit))
                        : best(ranked, limit, scope.drafts(), 0, new ArrayList<>()))
                .map(candidates ->
                        candidates.stream().limit(limit).map(Candidate::hit).toList());
    }

    /**
     * Every ranked candidate the caller may see, hydrated without stored vectors, best first (more than {@code limit}:
     * a context pack takes what fits its budget).
     */
    Uni<List<Candidate>> candidates(String query, int limit, Mode mode, SearchScope scope, Double threshold) {
        return ranked(query, limit, mode, scope, threshold, false)
                .chain(ranked -> store.hydrate(ranked, scope.drafts(), false));
    }

    /**
     * The first {@code wanted} of the ranking from {@code from} on that the caller may see, added to {@code found}.
     * Usually one round trip; another only when hydration dropped too many (passages of drafts or deleted chapters that
     * the vector index still returns).
     */
    private Uni<List<Candidate>> best(
            List<ScoredChunk> ranked, int wanted, boolean drafts, int from, List<Candidate> found) {
        int missing = wanted - found.size();
        if (missing <= 0 || from >= ranked.size()) {
            return Uni.createFrom().item(found);
        }
        // Without drafts some hits may be dropped: ask for a few more, as dense search over-fetches for the same
        // reason.
        int to = Math.min(ranked.size(), from + (drafts ? missing : missing + Math.min(missing, 20)));
        return store.hydrate(ranked.subList(from, to), drafts, false).chain(hydrated -> {
            found.addAll(hydrated);
            return best(ranked, wanted, drafts, to, found);
        });
    }

    /** The mode's ranking of chunk ids, before hydration (more than {@code limit} when re-ranking needs room). */
    private Uni<List<ScoredChunk>> ranked(
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
                .chain(t -> switch (mode) {
                    case DENSE -> Uni.createFrom().item(t.getItem2());
                    case FULLTEXT -> Uni.createFrom().item(t.getItem3());
                    case HYBRID -> hybrid(t.getItem1(), t.getItem2(), t.getItem3());
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

    /**
     * Hybrid's ranking ({@link #fuse}), with the similarity of the passages only full text found from the vector index (which scores
     * them as it scores its own hits), not from their stored vectors in PostgreSQL.
     */
    private Uni<List<ScoredChunk>> hybrid(float[] query, List<ScoredChunk> dense, List<ScoredChunk> lexical) {
        Set<UUID> found = new HashSet<>();
        dense.forEach(h -> found.add(h.id()));
        List<UUID> lexicalOnly = lexical.stream()
                .map(ScoredChunk::id)
                .filter(id -> !found.contains(id))
                .distinct()
                .toList();
        // With no dense hit every semantic score is 0 (see fuse): nothing to ask the index.
        Uni<Map<UUID, Double>> similarities = dense.isEmpty() || lexicalOnly.isEmpty()
                ? Uni.createFrom().item(Map.of())
                : index.similarities(query, lexicalOnly);
        return similarities.map(s -> fuse(dense, lexical, s, denseWeight));
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
     * <li><b>Dense</b>: every candidate's cosine similarity to the question: dense's own score for its hits, and for a
     * passage only full text found its similarity from {@code similarities} (the vector index's, by id), so it is
     * scored too; scaled so that dense's best hit is 1 and its {@value #SCALE_DEPTH}th (or last) is 0, which fits any
     * model's range of similarities; lower is 0. A fixed depth rather than the list's end, so a passage's score does
     * not depend on how many hits were asked for (a context pack asks for more than a search).</li>
     * <li><b>Lexical</b>: full text's own score as it stands, the share of the question's terms a passage holds
     * (weighted by inverse document frequency, refined by ts_rank_cd, 0 to 1), and 0 for a passage it did not return. Not rescaled to its best hit: a passage holding
     * one word of six stays a weak match however weak the others are, so the any-term step cannot flood the list.</li>
     * </ul>
     * Ties keep dense's order. A passage the vector index does not hold (being re-embedded) gets no dense score.
     */
    static List<ScoredChunk> fuse(
            List<ScoredChunk> dense, List<ScoredChunk> lexical, Map<UUID, Double> similarities, double denseWeight) {
        double[] sorted =
                dense.stream().mapToDouble(ScoredChunk::score).sorted().toArray();
        double top = sorted.length == 0 ? 1 : sorted[sorted.length - 1];
        double floor = sorted.length == 0 ? 0 : sorted[Math.max(0, sorted.length - SCALE_DEPTH)];
        Map<UUID, Double> similarity = new HashMap<>(similarities);
        dense.forEach(h -> similarity.put(h.id(), h.score()));
        Map<UUID, Double> lexicalScores = new HashMap<>();
        lexical.forEach(h -> lexicalScores.merge(h.id(), h.score(), Math::max));
        List<ScoredChunk> candidates = union(dense, lexical);
        List<ScoredChunk> fused = new ArrayList<>(candidates.size());
        for (ScoredChunk c : candidates) {
            double cosine = dense.isEmpty() ? 0 : similarity.getOrDefault(c.id(), 0.0);
            double semantic = top > floor
                    ? Math.clamp((cosine - floor) / (top - floor), 0, 1)
                    : (cosine >= top ? 1 : 0); // a single dense hit, or all alike
            double score = denseWeight * semantic + (1 - denseWeight) * lexicalScores.getOrDefault(c.id(), 0.0);
            fused.add(new ScoredChunk(c.id(), score));
        }
        fused.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
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
