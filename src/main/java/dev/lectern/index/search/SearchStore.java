package dev.lectern.index.search;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.index.pipeline.IndexStore;
import dev.lectern.index.search.SearchViews.Hit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL of search besides the full-text query ({@link FullTextStore}): hit hydration and filter resolution. Visibility
 * comes from the catalogue's views ({@link VisibleContent}), one statement per value of {@code drafts}; where a
 * statement also reads the book's columns it tests the chapters view with EXISTS instead of joining it (the view
 * joins books itself: see {@link FullTextStore}).
 */
@ApplicationScoped
public class SearchStore {

    /** The slugs a search filters on, as ids; null where the filter was not given or nothing matched. */
    record FilterIds(UUID bookId, List<UUID> chapterIds, List<String> foundChapterSlugs) {}

    /**
     * Hit details of chunks in chapters the caller sees (by drafts), without the stored vectors: a vector is 1.5 KB
     * stored out of line (TOAST), and fetching, sending and decoding 80 of them made hybrid search's hydration several
     * times slower than the rest of it. Only diversifying reads them ({@link #HYDRATE_WITH_VECTORS}).
     */
    private static final Map<Boolean, String> HYDRATE = Map.of(true, hydrate(true, ""), false, hydrate(false, ""));

    /** The same with each chunk's stored vector, for maximal marginal relevance. */
    private static final Map<Boolean, String> HYDRATE_WITH_VECTORS =
            Map.of(true, hydrate(true, " k.embedding,"), false, hydrate(false, " k.embedding,"));

    /**
     * The book by slug among those the caller sees (by drafts); the chapters by slug among the live ones (drafts
     * included: the hits are hydrated, which drops what the caller may not see), within the book when one is given.
     */
    private static final Map<Boolean, String> FILTER_IDS = Map.of(true, filterIds(true), false, filterIds(false));

    private static String hydrate(boolean drafts, String embedding) {
        return """
                SELECT k.id, k.text, k.heading_path, k.section_number, k.anchor,%s k.content_hash, k.token_count,
                       k.ordinal, k.chapter_id, c.slug AS chapter_slug, c.title AS chapter_title, b.slug AS book_slug,
                       b.title AS book_title, s.title AS section_title
                  FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
                  LEFT JOIN sections s ON s.chapter_id = k.chapter_id AND s.number = k.section_number
                 WHERE k.id = ANY($1) AND EXISTS (SELECT 1 FROM %s vc WHERE vc.id = c.id)""".formatted(embedding, VisibleContent.chapters(drafts));
    }

    private static String filterIds(boolean drafts) {
        return """
                SELECT (SELECT id FROM %1$s WHERE slug = $1) AS book_id,
                       (SELECT array_agg(c.id) FROM chapters c JOIN books b ON b.id = c.book_id
                         WHERE c.slug = ANY($2) AND EXISTS (SELECT 1 FROM %2$s vc WHERE vc.id = c.id)
                           AND ($1::text IS NULL OR b.slug = $1)) AS chapter_ids,
                       (SELECT array_agg(DISTINCT c.slug) FROM chapters c JOIN books b ON b.id = c.book_id
                         WHERE c.slug = ANY($2) AND EXISTS (SELECT 1 FROM %2$s vc WHERE vc.id = c.id)
                           AND ($1::text IS NULL OR b.slug = $1)) AS found_slugs""".formatted(VisibleContent.books(drafts), VisibleContent.LIVE_CHAPTERS);
    }

    private final Pool pool;

    public SearchStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Hit details from Postgres, in the ranking's order, dropping what the caller may not see or what is gone; with
     * each candidate's stored vector only when {@code vectors} is true (null otherwise).
     */
    Uni<List<Candidate>> hydrate(List<ScoredChunk> ranked, boolean drafts, boolean vectors) {
        if (ranked.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery((vectors ? HYDRATE_WITH_VECTORS : HYDRATE).get(drafts))
                .execute(Tuple.of(ranked.stream().map(ScoredChunk::id).toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Row> byId = new HashMap<>();
                    rows.forEach(r -> byId.put(r.getUUID("id"), r));
                    List<Candidate> out = new ArrayList<>(ranked.size());
                    for (ScoredChunk s : ranked) {
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
                                    vectors ? IndexStore.vector(r, "embedding") : null,
                                    r.getString("content_hash"),
                                    r.getInteger("token_count"),
                                    r.getInteger("ordinal")));
                        }
                    }
                    return out;
                });
    }

    /** The book and chapters a search names, as ids (one round trip, none when it names neither). */
    Uni<FilterIds> filterIds(String book, List<String> chapters, boolean drafts) {
        if (book == null && (chapters == null || chapters.isEmpty())) {
            // What the statement answers for no slugs, without planning its three subqueries (most searches).
            return Uni.createFrom().item(new FilterIds(null, null, List.of()));
        }
        return pool.preparedQuery(FILTER_IDS.get(drafts))
                .execute(Tuple.of(book, chapters == null ? new String[0] : chapters.toArray(String[]::new)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    UUID[] chapterIds = r.getArrayOfUUIDs("chapter_ids");
                    String[] found = r.getArrayOfStrings("found_slugs");
                    return new FilterIds(
                            r.getUUID("book_id"),
                            chapterIds == null ? null : List.of(chapterIds),
                            found == null ? List.of() : List.of(found));
                });
    }
}
