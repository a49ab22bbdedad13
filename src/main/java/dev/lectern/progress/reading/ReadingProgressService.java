package dev.lectern.progress.reading;

import dev.lectern.platform.ProblemException;
import dev.lectern.progress.reading.ReadingProgressViews.BookChapterView;
import dev.lectern.progress.reading.ReadingProgressViews.BookProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.ChapterProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.RecentView;
import dev.lectern.progress.reading.ReadingProgressViews.Status;
import dev.lectern.progress.reading.ReadingProgressViews.UpdateProgressRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reading progress: a learner's position, percent and time in each chapter, merged safely under retries and several
 * devices ({@link ReadingProgressStore} says how), and a book's completion weighted by reading time.
 */
@ApplicationScoped
public class ReadingProgressService {

    private final ReadingProgressStore store;

    public ReadingProgressService(ReadingProgressStore store) {
        this.store = store;
    }

    /** Merges the progress; a chapter the caller may not read (a draft for a learner) is answered as no chapter. */
    public Uni<ChapterProgressView> update(UUID userId, UUID chapterId, UpdateProgressRequest request, boolean drafts) {
        int seconds = request.timeSpentSeconds() == null ? 0 : request.timeSpentSeconds();
        if (seconds > 0 && request.eventId() == null) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid(
                            "eventId",
                            "is required when timeSpentSeconds is given, so a retry cannot count the time twice"));
        }
        return store.upsert(
                        userId,
                        request.eventId(),
                        chapterId,
                        seconds,
                        request.percent(),
                        request.position(),
                        Boolean.TRUE.equals(request.reset()),
                        drafts)
                .map(merged -> merged.orElseThrow(() -> ProblemException.notFound("no chapter " + chapterId)));
    }

    /** Every chapter of the book with the learner's status, and the book's completion weighted by reading time: one query. */
    public Uni<BookProgressView> book(UUID userId, String bookSlug, boolean drafts) {
        return store.book(bookSlug, userId, drafts)
                .map(rows -> bookView(
                        bookSlug, rows.orElseThrow(() -> ProblemException.notFound("no book '" + bookSlug + "'"))));
    }

    public Uni<List<RecentView>> recent(UUID userId, int limit, boolean includeCompleted, boolean drafts) {
        return store.recent(userId, limit, includeCompleted, drafts);
    }

    /** The user's reading progress, for the GDPR export. */
    public Uni<List<Map<String, Object>>> export(UUID userId) {
        return store.export(userId);
    }

    private static BookProgressView bookView(String bookSlug, List<ReadingProgressStore.BookChapterRow> rows) {
        List<BookChapterView> chapters = new ArrayList<>();
        double weighted = 0;
        long minutes = 0;
        long seconds = 0;
        int completed = 0;
        for (ReadingProgressStore.BookChapterRow r : rows) {
            double percent = r.percent() == null ? 0 : r.percent();
            Instant completedAt = r.completedAt();
            long spent = r.timeSpentSeconds() == null ? 0 : r.timeSpentSeconds();
            Status status = completedAt != null
                    ? Status.completed
                    : percent > 0 || spent > 0 ? Status.in_progress : Status.not_started;
            int chapterMinutes = r.estimatedReadingMinutes();
            weighted += chapterMinutes * (completedAt != null ? 100 : percent);
            minutes += chapterMinutes;
            seconds += spent;
            if (completedAt != null) {
                completed++;
            }
            chapters.add(new BookChapterView(
                    r.chapterId(),
                    r.slug(),
                    r.number(),
                    r.title(),
                    chapterMinutes,
                    status,
                    percent,
                    r.position(),
                    spent,
                    completedAt,
                    r.updatedAt()));
        }
        double completion = minutes == 0 ? 0 : Math.round(weighted / minutes * 100.0) / 100.0;
        return new BookProgressView(bookSlug, completion, completed, chapters.size(), seconds, chapters);
    }
}
