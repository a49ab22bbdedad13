package dev.lectern.progress.reading;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.platform.ProblemException;
import dev.lectern.progress.reading.ReadingProgressViews.BookChapterView;
import dev.lectern.progress.reading.ReadingProgressViews.BookProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.ChapterProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.Position;
import dev.lectern.progress.reading.ReadingProgressViews.RecentView;
import dev.lectern.progress.reading.ReadingProgressViews.Status;
import dev.lectern.progress.reading.ReadingProgressViews.UpdateProgressRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reading progress. Each write is one SQL statement: the event id is recorded and the progress row upserted
 * together, so under retries and several devices
 * <ul>
 * <li>percent and completion only move forward (GREATEST, COALESCE), unless the client asks for a reset;</li>
 * <li>time spent is added exactly once per event id (the event insert is ON CONFLICT DO NOTHING);</li>
 * <li>concurrent writers of one row serialise on its lock inside ON CONFLICT DO UPDATE, so none is lost.</li>
 * </ul>
 * The SQL joins the catalogue's chapters and books because reads must be one round trip.
 */
@ApplicationScoped
public class ReadingProgressService {

    private static final String UPSERT = """
            WITH target AS (
                SELECT c.id FROM chapters c JOIN books b ON b.id = c.book_id
                WHERE c.id = $3 AND c.deleted_at IS NULL AND b.deleted_at IS NULL
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
                          p.completed_at, p.updated_at
            )
            SELECT * FROM up""";

    private static final String BOOK = """
            SELECT b.slug AS book, c.id, c.slug, c.number, c.title, c.estimated_reading_minutes,
                   p.percent, p.section_number, p.section_offset, p.time_spent_seconds, p.completed_at, p.updated_at
            FROM books b
            LEFT JOIN chapters c ON c.book_id = b.id AND c.deleted_at IS NULL AND (c.published OR $3)
            LEFT JOIN reading_progress p ON p.chapter_id = c.id AND p.user_id = $2
            WHERE b.slug = $1 AND b.deleted_at IS NULL AND (b.published OR $3)
            ORDER BY c.number, c.id""";

    private static final String RECENT = """
            SELECT b.slug AS book, c.id, c.slug, c.title, p.percent, p.section_number, p.section_offset,
                   p.completed_at, p.updated_at
            FROM reading_progress p
            JOIN chapters c ON c.id = p.chapter_id AND c.deleted_at IS NULL
            JOIN books b ON b.id = c.book_id AND b.deleted_at IS NULL
            WHERE p.user_id = $1 AND ($2 OR p.completed_at IS NULL)
            ORDER BY p.updated_at DESC
            LIMIT $3""";

    private final Pool pool;

    public ReadingProgressService(Pool pool) {
        this.pool = pool;
    }

    public Uni<ChapterProgressView> update(UUID userId, UUID chapterId, UpdateProgressRequest request) {
        int seconds = request.timeSpentSeconds() == null ? 0 : request.timeSpentSeconds();
        if (seconds > 0 && request.eventId() == null) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid(
                            "eventId",
                            "is required when timeSpentSeconds is given, so a retry cannot count the time twice"));
        }
        Position position = request.position();
        Tuple params = Tuple.tuple()
                .addUUID(userId)
                .addUUID(request.eventId())
                .addUUID(chapterId)
                .addInteger(seconds)
                .addDouble(request.percent())
                .addInteger(position == null ? null : position.sectionNumber())
                .addInteger(position == null ? null : position.offset())
                .addBoolean(Boolean.TRUE.equals(request.reset()));
        return pool.preparedQuery(UPSERT).execute(params).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ProblemException.notFound("no chapter " + chapterId);
            }
            return chapterView(rows.iterator().next());
        });
    }

    /** Every chapter of the book with the learner's status, and the book's completion weighted by reading time: one query. */
    public Uni<BookProgressView> book(UUID userId, String bookSlug, boolean drafts) {
        return pool.preparedQuery(BOOK)
                .execute(Tuple.of(bookSlug, userId, drafts))
                .map(rows -> bookView(bookSlug, rows));
    }

    public Uni<List<RecentView>> recent(UUID userId, int limit, boolean includeCompleted) {
        return pool.preparedQuery(RECENT)
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

    private static BookProgressView bookView(String bookSlug, RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            throw ProblemException.notFound("no book '" + bookSlug + "'");
        }
        List<BookChapterView> chapters = new ArrayList<>();
        double weighted = 0;
        long minutes = 0;
        long seconds = 0;
        int completed = 0;
        for (Row r : rows) {
            if (r.getUUID("id") == null) {
                continue; // a book without chapters
            }
            double percent = r.getDouble("percent") == null ? 0 : r.getDouble("percent");
            Instant completedAt = instant(r.getOffsetDateTime("completed_at"));
            long spent = r.getLong("time_spent_seconds") == null ? 0 : r.getLong("time_spent_seconds");
            Status status = completedAt != null
                    ? Status.completed
                    : percent > 0 || spent > 0 ? Status.in_progress : Status.not_started;
            int chapterMinutes = r.getInteger("estimated_reading_minutes");
            weighted += chapterMinutes * (completedAt != null ? 100 : percent);
            minutes += chapterMinutes;
            seconds += spent;
            if (completedAt != null) {
                completed++;
            }
            chapters.add(new BookChapterView(
                    r.getUUID("id"),
                    r.getString("slug"),
                    r.getInteger("number"),
                    r.getString("title"),
                    chapterMinutes,
                    status,
                    percent,
                    position(r),
                    spent,
                    completedAt,
                    instant(r.getOffsetDateTime("updated_at"))));
        }
        double completion = minutes == 0 ? 0 : Math.round(weighted / minutes * 100.0) / 100.0;
        return new BookProgressView(bookSlug, completion, completed, chapters.size(), seconds, chapters);
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
