package dev.lectern.catalogue.content;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

@ApplicationScoped
public class ChapterRepository implements PanacheRepositoryBase<Chapter, UUID> {

    /** The chapter (live or soft-deleted) with its outcomes, in one statement. */
    public Uni<Chapter> findWithOutcomes(UUID bookId, String slug) {
        return find(
                        "select c from Chapter c left join fetch c.outcomes where c.bookId = ?1 and c.slug = ?2",
                        bookId,
                        slug)
                .list()
                .map(ChapterRepository::single);
    }

    /** The chapter (live or soft-deleted) an imported page became, by the page's path, with its outcomes. */
    public Uni<Chapter> findBySourcePath(UUID bookId, String sourcePath) {
        return find(
                        "select c from Chapter c left join fetch c.outcomes where c.bookId = ?1 and c.sourcePath = ?2",
                        bookId,
                        sourcePath)
                .list()
                .map(ChapterRepository::single);
    }

    /** A live chapter of a live book by slugs, with its outcomes, in one statement. */
    public Uni<Chapter> findLive(String bookSlug, String chapterSlug) {
        return findVisible(bookSlug, chapterSlug, true);
    }

    /** Like {@link #findLive}, but without {@code drafts} only a published chapter of a published book. */
    public Uni<Chapter> findVisible(String bookSlug, String chapterSlug, boolean drafts) {
        return findVisible("c.slug = ?2", bookSlug, chapterSlug, drafts);
    }

    /** Like {@link #findVisible(String, String, boolean)}, by the chapter's id within the book. */
    public Uni<Chapter> findVisible(String bookSlug, UUID chapterId, boolean drafts) {
        return findVisible("c.id = ?2", bookSlug, chapterId, drafts);
    }

    private Uni<Chapter> findVisible(String chapterIs, String bookSlug, Object chapter, boolean drafts) {
        String published = drafts ? "" : " and c.published = true and b.published = true";
        return find("""
                select c from Chapter c left join fetch c.outcomes
                where %s and c.deletedAt is null
                  and c.bookId = (select b.id from Book b where b.slug = ?1 and b.deletedAt is null%s)""".formatted(chapterIs, published), bookSlug, chapter)
                .list()
                .map(ChapterRepository::single);
    }

    /** firstResult() with a collection fetch would paginate in memory; the key is unique, so take the only row. */
    private static Chapter single(List<Chapter> rows) {
        return rows.isEmpty() ? null : rows.get(0);
    }

    public Uni<Integer> nextNumber(UUID bookId) {
        return getSession()
                .chain(s -> s.createSelectionQuery(
                                "select coalesce(max(c.number), 0) + 1 from Chapter c where c.bookId = ?1",
                                Integer.class)
                        .setParameter(1, bookId)
                        .getSingleResult());
    }

    /** What a chapter list shows: the chapter without its Markdown body (~5 KB a chapter not read for a list). */
    public record ListRow(
            UUID id,
            String slug,
            int number,
            String title,
            String summary,
            String difficulty,
            int estimatedReadingMinutes,
            boolean published,
            String sourcePath,
            long version,
            Instant updatedAt) {}

    /**
     * Up to {@code limit + 1} live chapters of a book in (number, id) order after the given key, optionally
     * filtered by difficulty and by an outcome code; projected, so the bodies stay in the database.
     */
    public Uni<List<ListRow>> pageAfter(
            UUID bookId,
            Integer afterNumber,
            UUID afterId,
            String difficulty,
            String outcome,
            boolean drafts,
            int limit) {
        StringBuilder q = new StringBuilder("from Chapter c where c.bookId = :book and c.deletedAt is null");
        Parameters params = Parameters.with("book", bookId);
        if (!drafts) {
            q.append(" and c.published = true");
        }
        if (difficulty != null) {
            q.append(" and c.difficulty = :difficulty");
            params.and("difficulty", difficulty);
        }
        if (outcome != null) {
            q.append(
                    " and exists (select 1 from Chapter c2 join c2.outcomes o where c2.id = c.id and o.code = :outcome)");
            params.and("outcome", outcome);
        }
        if (afterNumber != null) {
            q.append(" and (c.number > :n or (c.number = :n and c.id > :id))");
            params.and("n", afterNumber).and("id", afterId);
        }
        q.append(" order by c.number, c.id");
        return find(q.toString(), params).project(ListRow.class).range(0, limit).list();
    }

    /** Outcome codes of many chapters in one statement (avoids an N+1 over a page). */
    public Uni<Map<UUID, List<String>>> outcomeCodes(List<UUID> chapterIds) {
        if (chapterIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return getSession()
                .chain(s -> s.createSelectionQuery(
                                "select c.id, o.code from Chapter c join c.outcomes o where c.id in ?1 order by o.code",
                                Object[].class)
                        .setParameter(1, chapterIds)
                        .getResultList())
                .map(rows -> rows.stream()
                        .collect(Collectors.groupingBy(
                                r -> (UUID) r[0], Collectors.mapping(r -> (String) r[1], Collectors.toList()))));
    }
}
