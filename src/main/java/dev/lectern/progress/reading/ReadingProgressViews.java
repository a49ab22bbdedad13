package dev.lectern.progress.reading;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the reading-progress endpoints. */
public final class ReadingProgressViews {

    private ReadingProgressViews() {}

    @Schema(name = "Position", description = "Where to resume: a section of the chapter and an offset within it")
    public record Position(
            @Min(1) @Schema(example = "3") Integer sectionNumber,

            @Min(0) @Schema(description = "Characters (or any client unit) into the section", example = "1200")
            Integer offset) {}

    @Schema(name = "UpdateProgress")
    public record UpdateProgressRequest(
            @NotNull @DecimalMin("0") @DecimalMax("100") @Schema(example = "42.5")
            Double percent,

            @Valid Position position,

            @Min(0)
            @Max(86_400)
            @Schema(description = "Seconds read since the client's last report; added once per eventId", example = "90")
            Integer timeSpentSeconds,

            @Schema(description = "Client-generated id of this report; retries with the same id add time only once")
            UUID eventId,

            @Schema(
                    description = "Allow percent and completion to go down (re-reading from the start)",
                    defaultValue = "false")
            Boolean reset) {}

    @Schema(name = "ChapterProgress")
    public record ChapterProgressView(
            UUID chapterId,
            double percent,
            Position position,
            long timeSpentSeconds,
            boolean completed,
            Instant completedAt,
            Instant updatedAt) {}

    public enum Status {
        not_started,
        in_progress,
        completed
    }

    @Schema(name = "BookChapterProgress")
    public record BookChapterView(
            UUID chapterId,
            String slug,
            int number,
            String title,
            int estimatedReadingMinutes,
            Status status,
            double percent,
            Position position,
            long timeSpentSeconds,
            Instant completedAt,
            Instant updatedAt) {}

    @Schema(
            name = "BookProgress",
            description = "A learner's progress through a book; completion is weighted by reading time")
    public record BookProgressView(
            String book,

            @Schema(description = "0-100, weighted by estimated reading minutes")
            double completion,

            int completedChapters,
            int totalChapters,
            long timeSpentSeconds,
            List<BookChapterView> chapters) {}

    @Schema(name = "RecentProgress", description = "A chapter to resume")
    public record RecentView(
            String book,
            UUID chapterId,
            String chapterSlug,
            String chapterTitle,
            double percent,
            Position position,
            boolean completed,
            Instant updatedAt) {}
}
