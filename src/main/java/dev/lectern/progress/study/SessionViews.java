package dev.lectern.progress.study;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the learning-session and stats endpoints. */
public final class SessionViews {

    private SessionViews() {}

    @Schema(name = "StartSession")
    public record StartRequest(UUID chapterId) {}

    @Schema(name = "Heartbeat", description = "What happened since the last heartbeat")
    public record HeartbeatRequest(
            @Min(0) @Max(10_000) @Schema(description = "Review items reviewed since the last heartbeat")
            Integer itemsReviewed,

            @Min(0) @Max(10_000) @Schema(description = "Pieces of content generated since the last heartbeat")
            Integer contentGenerated) {}

    @Schema(name = "LearningSession")
    public record SessionView(
            UUID id,
            UUID chapterId,
            Instant startedAt,
            Instant lastHeartbeatAt,
            Instant endedAt,
            int activeSeconds,
            int itemsReviewed,
            int contentGenerated) {}

    @Schema(name = "Stats")
    public record StatsView(
            @Schema(description = "Consecutive days with study activity up to today or yesterday (UTC)")
            int streakDays,

            @Schema(description = "Active minutes in sessions since Monday 00:00 UTC")
            long minutesThisWeek,

            long reviewsDone,
            long reviewsThisWeek,
            long chaptersCompleted) {}
}
