package dev.lectern.index.search;

import dev.lectern.index.embed.Embedder;
import dev.lectern.index.pipeline.IndexLifecycle;
import dev.lectern.index.pipeline.IndexStore;
import dev.lectern.index.search.SearchViews.Filters;
import dev.lectern.index.search.SearchViews.Hit;
import dev.lectern.index.search.SearchViews.Mode;
import dev.lectern.index.search.SearchViews.SearchResponse;
import dev.lectern.index.vector.VectorFilter;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.index.vector.VectorIndexUnavailableException;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Retrieval over the chunks: dense (embedding + vector index), full-text (Postgres tsvector) and hybrid (reciprocal
 * rank fusion of both), with optional maximal-marginal-relevance diversification.
 *
 * <p>Hits are always hydrated from Postgres, which also re-checks that the chapter and book are live and, for callers
 * who may not see drafts, published: a point the index still holds for a just-deleted chapter never reaches a caller.
 */
@ApplicationScoped
public class SearchService {

    /** A hit before hydration. */
    record Scored(UUID id, double score) {}

    /** A hydrated hit with what re-ranking and context packs need. */
    record Candidate(Hit hit, float[] embedding, String contentHash, int tokenCount, int ordinal) {}

    /** Filters resolved to ids: the vector index filters on ids, Postgres on the same ids. */
    record Resolved(VectorFilter vector, boolean drafts) {}

    static final int RRF_K = 60;
    static final double MMR_LAMBDA = 0.5;

    private final Pool pool;
    private final Embedder embedder;
    private final VectorIndex index;
    private final IndexLifecycle lifecycle;
    private final FullTextStore fullText;
    private final boolean fulltextFallback;

    public SearchService(
            Pool pool,
            Embedder embedder,
            VectorIndex index,
            IndexLifecycle lifecycle,
            FullTextStore fullText,
            @ConfigProperty(name = "lectern.search.fulltext-fallback", defaultValue = "false")
                    boolean fulltextFallback) {
        this.pool = pool;
        this.embedder = embedder;
        this.index = index;
        this.lifecycle = lifecycle;
        this.fullText = fullText;
        this.fulltextFallback = fulltextFallback;
    }

    public Uni<SearchResponse> search(
            String query, int limit, Mode mode, Filters filters, Double threshold, boolean diversify, boolean drafts) {
        return resolve(filters, drafts)
                .chain(resolved -> candidates(query, limit, mode, resolved, threshold, diversify)
                        .map(c -> new SearchResponse(query, mode, null, hits(c, limit)))
                        .onFailure(VectorIndexUnavailableException.class)
                        .recoverWithUni(e -> {
                            if (!fulltextFallback || mode == Mode.FULLTEXT) {
                                return Uni.createFrom().failure(e);
                            }
                            return candidates(query, limit, Mode.FULLTEXT, resolved, threshold, diversify)
                                    .map(c -> new SearchResponse(query, Mode.FULLTEXT, true, hits(c, limit)));
                        }));
    }

    private static List<Hit> hits(List<Candidate> candidates, int limit) {
        return candidates.stream().limit(limit).map(Candidate::hit).toList();
    }

    /** Ranked, hydrated candidates (more than {@code limit} when re-ranking needs room). */
    Uni<List<Candidate>> candidates(
            String query, int limit, Mode mode, Resolved resolved, Double threshold, boolean diversify) {
        int pool = mode == Mode.HYBRID || diversify ? Math.max(limit * 4, 40) : limit;
        Uni<float[]> queryVector = mode != Mode.FULLTEXT || diversify
                ? embedder.embedQuery(query).memoize().indefinitely()
                : Uni.createFrom().nullItem();
        // Hybrid: the full-text query runs in PostgreSQL while the question is embedded and the vector index searched.
        Uni<List<Scored>> lexical = mode == Mode.DENSE
                ? Uni.createFrom().item(List.of())
                : fullText.search(query, pool, resolved, mode == Mode.HYBRID ? null : threshold);
        Uni<List<Scored>> semantic = mode == Mode.FULLTEXT
                ? Uni.createFrom().item(List.of())
                : queryVector.chain(vector -> dense(vector, pool, resolved, threshold));
        return Uni.combine()
                .all()
                .unis(queryVector, semantic, lexical)
                .asTuple()
                .chain(t -> {
                    float[] vector = t.getItem1();
                    List<Scored> ranked = switch (mode) {
                        case DENSE -> t.getItem2();
                        case FULLTEXT -> t.getItem3();
                        case HYBRID -> fuse(List.of(t.getItem2(), t.getItem3()));
                    };
                    return hydrate(ranked, resolved.drafts())
                            .map(c -> diversify && vector != null ? mmr(vector, c, limit) : c);
                });
    }

    private Uni<List<Scored>> dense(float[] vector, int limit, Resolved resolved, Double threshold) {
        if (lifecycle.state() != IndexLifecycle.State.READY) {
            // Kick preparation (it retries) but do not serve a half-loaded index.
            return lifecycle
                    .ready()
                    .chain(ready -> ready
                            ? dense(vector, limit, resolved, threshold)
                            : Uni.createFrom()
                                    .failure(new VectorIndexUnavailableException(
                                            "the vector index is still being prepared", null)));
        }
        // Over-fetch a little when drafts are filtered out after the index answers.
        int fetch = resolved.drafts() ? limit : limit + Math.min(limit, 20);
        return index.search(vector, fetch, resolved.vector())
                .map(hits -> hits.stream()
                        .filter(h -> threshold == null || h.score() >= threshold)
                        .map(h -> new Scored(h.id(), h.score()))
                        .toList());
    }

    /** Reciprocal rank fusion (Cormack et al., SIGIR 2009): score = Σ 1 / (k + rank), k = 60. */
    static List<Scored> fuse(List<List<Scored>> rankings) {
        Map<UUID, Double> fused = new LinkedHashMap<>();
        for (List<Scored> ranking : rankings) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                fused.merge(ranking.get(rank).id(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return fused.entrySet().stream()
                .map(e -> new Scored(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingDouble(Scored::score).reversed())
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
    Uni<List<Candidate>> hydrate(List<Scored> ranked, boolean drafts) {
        if (ranked.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                SELECT k.id, k.text, k.heading_path, k.section_number, k.anchor, k.embedding, k.content_hash, k.token_count,
                       k.ordinal, k.chapter_id, c.slug AS chapter_slug, c.title AS chapter_title, b.slug AS book_slug,
                       b.title AS book_title, s.title AS section_title
                  FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
                  LEFT JOIN sections s ON s.chapter_id = k.chapter_id AND s.number = k.section_number
                 WHERE k.id = ANY($1) AND c.deleted_at IS NULL AND b.deleted_at IS NULL AND ($2 OR (c.published AND b.published))""")
                .execute(Tuple.of(ranked.stream().map(Scored::id).toArray(UUID[]::new), drafts))
                .map(rows -> {
                    Map<UUID, Row> byId = new HashMap<>();
                    rows.forEach(r -> byId.put(r.getUUID("id"), r));
                    List<Candidate> out = new ArrayList<>(ranked.size());
                    for (Scored s : ranked) {
                        Row r = byId.get(s.id());
                        if (r != null) {
                            Hit hit = new Hit(
                                    s.id(),
                                    s.score(),
                                    r.getString("text"),
                                    List.of(r.getArrayOfStrings("heading_path")),
                                    r.getString("book_slug"),
                                    r.getString("book_title"),
                                    r.getString("chapter_slug"),
                                    r.getUUID("chapter_id"),
                                    r.getString("chapter_title"),
                                    r.getInteger("section_number"),
                                    r.getString("section_title"),
                                    r.getString("anchor"));
                            out.add(new Candidate(
                                    hit,
                                    IndexStore.vector(r, "embedding"),
                                    r.getString("content_hash"),
                                    r.getInteger("token_count"),
                                    r.getInteger("ordinal")));
                        }
                    }
                    return out;
                });
    }

    /** Slugs and codes to ids; an unknown book or chapter is a 404, not an empty result that hides a typo. */
    Uni<Resolved> resolve(Filters filters, boolean drafts) {
        Filters f = filters == null ? Filters.NONE : filters;
        return pool.preparedQuery("""
                SELECT (SELECT id FROM books WHERE slug = $1 AND deleted_at IS NULL AND ($3 OR published)) AS book_id,
                       (SELECT array_agg(c.id) FROM chapters c JOIN books b ON b.id = c.book_id
                         WHERE c.slug = ANY($2) AND c.deleted_at IS NULL AND b.deleted_at IS NULL
                           AND ($1::text IS NULL OR b.slug = $1)) AS chapter_ids,
                       (SELECT array_agg(DISTINCT c.slug) FROM chapters c JOIN books b ON b.id = c.book_id
                         WHERE c.slug = ANY($2) AND c.deleted_at IS NULL AND b.deleted_at IS NULL
                           AND ($1::text IS NULL OR b.slug = $1)) AS found_slugs""")
                .execute(Tuple.of(
                        f.book(),
                        f.chapters() == null ? new String[0] : f.chapters().toArray(String[]::new),
                        drafts))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    UUID bookId = r.getUUID("book_id");
                    if (f.book() != null && bookId == null) {
                        throw ProblemException.notFound("book '" + f.book() + "' not found");
                    }
                    List<UUID> chapterIds = null;
                    if (f.chapters() != null && !f.chapters().isEmpty()) {
                        List<String> found = r.getArrayOfStrings("found_slugs") == null
                                ? List.of()
                                : List.of(r.getArrayOfStrings("found_slugs"));
                        List<String> missing = f.chapters().stream()
                                .filter(s -> !found.contains(s))
                                .distinct()
                                .toList();
                        if (!missing.isEmpty()) {
                            throw ProblemException.notFound(
                                    "chapter" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                                            + " not found" + (f.book() == null ? "" : " in book '" + f.book() + "'"));
                        }
                        chapterIds = List.of(r.getArrayOfUUIDs("chapter_ids"));
                    }
                    return new Resolved(
                            new VectorFilter(
                                    bookId,
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
