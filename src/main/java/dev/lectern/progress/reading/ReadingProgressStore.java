package dev.lectern.progress.reading;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.progress.reading.ReadingProgressViews.ChapterProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.Position;
import dev.lectern.progress.reading.ReadingProgressViews.RecentView;
import dev.lectern.xapi.XapiOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading progress in SQL. Each write is one statement: the event id is recorded and the progress row upserted
 * together, so under retries and several devices
 * <ul>
 * <li>percent and completion only move forward (GREATEST, COALESCE), unless the client asks for a reset;</li>
 * <li>time spent is added exactly once per event id (the event insert is ON CONFLICT DO NOTHING);</li>
 * <li>concurrent writers of one row serialise on its lock inside ON CONFLICT DO UPDATE, so none is lost.</li>
 * </ul>
 * The SQL joins the catalogue's views of chapters and books ({@link VisibleContent}) because reads must be one round
 * trip, and a write must check the chapter in the same statement.
 */
@ApplicationScoped
public class ReadingProgressStore {

    /** The upsert for callers who see drafts (true) and for those who do not (false), while xAPI is off. */
    private static final Map<Boolean, String> UPSERT = Map.of(true, upsert(true, false), false, upsert(false, false));

    /** The same with the xAPI statements of the change queued by the same statement. */
    private static final Map<Boolean, String> UPSERT_XAPI =
            Map.of(true, upsert(true, true), false, upsert(false, true));

    /** The book query for callers who see drafts (true) and for those who do not (false). */
    private static final Map<Boolean, String> BOOK = Map.of(true, book(true), false, book(false));

    /** The resume list for callers who see drafts (true) and for those who do not (false). */
    private static final Map<Boolean, String> RECENT = Map.of(true, recent(true), false, recent(false));

    /**
     * A learner records progress only in a chapter they may read: any other id is answered as one naming nothing.
     *
     * <p>With {@code xapi}, the same statement queues the change's xAPI statements, so the hot path keeps one round trip
     * and the statements commit with the progress or not at all: "experienced" when the row is new (an inserted row's
     * {@code xmax} is 0; a concurrent first write that lost the insert race updates instead), "progressed" when the
     * percent changed without completing, "completed" when this statement set {@code completed_at} (to {@code now()},
     * the transaction's time, which no other transaction shares). The previous percent is read from the statement's
     * snapshot: two devices racing may each report a change, which is harmless. Without {@code xapi} the SQL is the one
     * measured in issue 16.
     */
    private static String upsert(boolean drafts, boolean xapi) {
        String target = xapi
                ? "SELECT c.id, c.slug, c.title, b.slug AS book_slug FROM %s c JOIN books b ON b.id = c.book_id"
                : "SELECT c.id FROM %s c";
        String previous = xapi ? """
                  ), prev AS (
                      SELECT percent FROM reading_progress WHERE user_id = $1 AND chapter_id = $3""" : "";
        String statements = xapi ? """
                  ), xapi AS (
                  """ + XapiOutbox.INSERT_INTO + """

                      SELECT s.id, $1, s.verb, 'chapter', up.chapter_id, '/books/' || t.book_slug || '/chapters/' || t.slug,
                             left(t.title, 200), s.progress, NULL, now()
                      FROM up CROSS JOIN target t CROSS JOIN LATERAL (VALUES
                          ($9::uuid, 'experienced', NULL::float8, up.inserted),
                          ($10::uuid, 'progressed', up.percent, up.completed_at IS DISTINCT FROM now() AND up.percent > 0
                                                                 AND up.percent IS DISTINCT FROM (SELECT percent FROM prev)),
                          ($11::uuid, 'completed', 100::float8, up.completed_at = now())
                      ) s (id, verb, progress, wanted)
                      WHERE s.wanted""" : "";
        return """
            WITH target AS (
                %s
                WHERE c.id = $3%s
            ), ev AS (
                INSERT INTO progress_events (user_id, event_id, chapter_id, time_spent_seconds)
                SELECT $1, $2::uuid, id, $4::int FROM target WHERE $2::uuid IS NOT NULL
                ON CONFLICT (user_id, event_id) DO NOTHING
                RETURNING time_spent_seconds
            ), up AS (
                INSERT INTO reading_progress AS p (user_id, chapter_id, percent, section_number, section_offset,
                                                   time_spent_seconds, completed_at)
                SELECT $1, id, $5::float8, $6::int, $7::int, COALESCE((SELECT time_spent_seconds FROM ev), 0),
                       CASE WHEN $5::float8 >= 100 THEN now() END
                FROM target
                ON CONFLICT (user_id, chapter_id) DO UPDATE SET
                    percent = CASE WHEN $8::bool THEN EXCLUDED.percent ELSE GREATEST(p.percent, EXCLUDED.percent) END,
                    section_number = CASE WHEN $8::bool OR EXCLUDED.percent >= p.percent
                                          THEN EXCLUDED.section_number ELSE p.section_number END,
                    section_offset = CASE WHEN $8::bool OR EXCLUDED.percent >= p.percent
                                          THEN EXCLUDED.section_offset ELSE p.section_offset END,
                    time_spent_seconds = p.time_spent_seconds + EXCLUDED.time_spent_seconds,
                    completed_at = CASE WHEN $8::bool THEN EXCLUDED.completed_at
                                        ELSE COALESCE(p.completed_at, EXCLUDED.completed_at) END,
                    updated_at = now()
                RETURNING p.chapter_id, p.percent, p.section_number, p.section_offset, p.time_spent_seconds,
                          p.completed_at, p.updated_at%s
            %s)
            SELECT * FROM up""".formatted(
                        target.formatted(VisibleContent.chapters(drafts)),
                        previous,
                        xapi ? ", (p.xmax = 0) AS inserted" : "",
                        statements);
    }

    /**
     * Rows of deleted chapters are gone; a chapter the caller may no longer read (unpublished since) keeps its row,
     * but its slug and title, and its book's slug unless the book is readable, are null: a view never names content
     * the caller could not read.
     */
    private static String recent(boolean drafts) {
        return """
                SELECT vb.slug AS book, c.id, vc.slug, vc.title, p.percent, p.section_number, p.section_offset,
                       p.completed_at, p.updated_at
                FROM reading_progress p
                JOIN %s c ON c.id = p.chapter_id
                LEFT JOIN %s vc ON vc.id = c.id
                LEFT JOIN %s vb ON vb.id = c.book_id
                WHERE p.user_id = $1 AND ($2 OR p.completed_at IS NULL)
                ORDER BY p.updated_at DESC
                LIMIT $3""".formatted(
                        VisibleContent.LIVE_CHAPTERS, VisibleContent.chapters(drafts), VisibleContent.books(drafts));
    }

    private static String book(boolean drafts) {
        return """
                SELECT b.slug AS book, c.id, c.slug, c.number, c.title, c.estimated_reading_minutes,
                       p.percent, p.section_number, p.section_offset, p.time_spent_seconds, p.completed_at, p.updated_at
                FROM %s b
                LEFT JOIN %s c ON c.book_id = b.id
                LEFT JOIN reading_progress p ON p.chapter_id = c.id AND p.user_id = $2
                WHERE b.slug = $1
                ORDER BY c.number, c.id""".formatted(VisibleContent.books(drafts), VisibleContent.chapters(drafts));
    }

    /** A chapter of a book with the learner's progress in it; the progress columns are null where they have none. */
    record BookChapterRow(
            UUID chapterId,
            String slug,
            int number,
            String title,
            int estimatedReadingMinutes,
            Double percent,
            Position position,
            Long timeSpentSeconds,
            Instant completedAt,
            Instant updatedAt) {}

    private final Pool pool;
    private final XapiOutbox xapi;

    public ReadingProgressStore(Pool pool, XapiOutbox xapi) {
        this.pool = pool;
        this.xapi = xapi;
    }

    /** Records the event and merges the progress; empty when the chapter is not one the caller may read. */
    Uni<Optional<ChapterProgressView>> upsert(
            UUID userId,
            UUID eventId,
            UUID chapterId,
            int seconds,
            Double percent,
            Position position,
            boolean reset,
            boolean drafts) {
        Tuple params = Tuple.tuple()
                .addUUID(userId)
                .addUUID(eventId)
                .addUUID(chapterId)
                .addInteger(seconds)
                .addDouble(percent)
                .addInteger(position == null ? null : position.sectionNumber())
                .addInteger(position == null ? null : position.offset())
                .addBoolean(reset);
        if (xapi.on()) {
            UUID[] ids = XapiOutbox.newStatementIds(3);
            params.addUUID(ids[0]).addUUID(ids[1]).addUUID(ids[2]);
        }
        return pool.preparedQuery((xapi.on() ? UPSERT_XAPI : UPSERT).get(drafts))
                .execute(params)
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(chapterView(rows.iterator().next()))
                        : Optional.empty());
    }

    /**
     * The chapters the caller sees of the book, in order, each with the learner's progress: one query. Empty when the
     * caller sees no such book; a book without such chapters has none.
     */
    Uni<Optional<List<BookChapterRow>>> book(String bookSlug, UUID userId, boolean drafts) {
        return pool.preparedQuery(BOOK.get(drafts))
                .execute(Tuple.of(bookSlug, userId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    List<BookChapterRow> chapters = new ArrayList<>();
                    for (Row r : rows) {
                        if (r.getUUID("id") == null) {
                            continue; // a book without chapters
                        }
                        chapters.add(new BookChapterRow(
                                r.getUUID("id"),
                                r.getString("slug"),
                                r.getInteger("number"),
                                r.getString("title"),
                                r.getInteger("estimated_reading_minutes"),
                                r.getDouble("percent"),
                                position(r),
                                r.getLong("time_spent_seconds"),
                                instant(r.getOffsetDateTime("completed_at")),
                                instant(r.getOffsetDateTime("updated_at"))));
                    }
                    return Optional.of(chapters);
                });
    }

    /**
     * The learner's most recently read live chapters, unfinished ones unless {@code includeCompleted}; named only where
     * the caller may read them.
     */
    Uni<List<RecentView>> recent(UUID userId, int limit, boolean includeCompleted, boolean drafts) {
        return pool.preparedQuery(RECENT.get(drafts))
                .execute(Tuple.of(userId, includeCompleted, limit))
                .map(rows -> {
                    List<RecentView> items = new ArrayList<>();
                    for (Row r : rows) {
                        items.add(new RecentView(
                                r.getString("book"),
                                r.getUUID("id"),
                                r.getString("slug"),
                                r.getString("title"),
                                r.getDouble("percent"),
                                position(r),
                                r.getOffsetDateTime("completed_at") != null,
                                instant(r.getOffsetDateTime("updated_at"))));
                    }
                    return items;
                });
    }

    /** Every progress row of the user's, oldest change first, for the GDPR export. */
    Uni<List<Map<String, Object>>> export(UUID userId) {
        return pool.preparedQuery("""
                SELECT chapter_id, percent, section_number, section_offset, time_spent_seconds, completed_at, updated_at
                FROM reading_progress WHERE user_id = $1 ORDER BY updated_at""").execute(Tuple.of(userId)).map(rows -> {
            List<Map<String, Object>> reading = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("chapterId", r.getUUID("chapter_id"));
                entry.put("percent", r.getDouble("percent"));
                entry.put("sectionNumber", r.getInteger("section_number"));
                entry.put("sectionOffset", r.getInteger("section_offset"));
                entry.put("timeSpentSeconds", r.getLong("time_spent_seconds"));
                entry.put("completedAt", r.getOffsetDateTime("completed_at"));
                entry.put("updatedAt", r.getOffsetDateTime("updated_at"));
                reading.add(entry);
            }
            return reading;
        });
    }

    private static ChapterProgressView chapterView(Row r) {
        Instant completedAt = instant(r.getOffsetDateTime("completed_at"));
        return new ChapterProgressView(
                r.getUUID("chapter_id"),
                r.getDouble("percent"),
                position(r),
                r.getLong("time_spent_seconds"),
                completedAt != null,
                completedAt,
                instant(r.getOffsetDateTime("updated_at")));
    }

    private static Position position(Row r) {
        Integer section = r.getInteger("section_number");
        Integer offset = r.getInteger("section_offset");
        return section == null && offset == null ? null : new Position(section, offset);
    }
}
