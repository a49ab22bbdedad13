package dev.lectern.progress.review;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the spaced-repetition endpoints. */
public final class ReviewViews {

    private ReviewViews() {}

    @Schema(
            name = "CreateReviewItem",
            description = "Link to an outcome, a chapter (and section), or carry a front/back; at least one")
    public record CreateReviewItemRequest(
            @Size(min = 1, max = 200) @Schema(description = "Outcome code, or FRAMEWORK/CODE", example = "ROS.COMM.1")
            String outcome,

            UUID chapterId,
            @Min(1) Integer sectionNumber,

            @Size(min = 1, max = 10_000) @Schema(example = "Which command prints messages arriving on a topic?")
            String front,

            @Size(max = 20_000) @Schema(example = "ros2 topic echo <topic>")
            String back) {}

    @Schema(name = "ReviewItem")
    public record ReviewItemView(
            UUID id,
            UUID outcomeId,
            UUID chapterId,
            Integer sectionNumber,
            String front,
            String back,

            @Schema(description = "learning, review or relearning")
            String state,

            Integer step,
            Double stability,
            Double difficulty,
            Instant due,
            Instant lastReview,
            int reps,
            int lapses,

            @Schema(description = "Probability of recall now (FSRS), 0-1")
            double retrievability,

            Instant createdAt,
            Instant updatedAt) {}

    @Schema(name = "Review")
    public record ReviewRequest(
            @NotNull
            @Pattern(regexp = "^(again|hard|good|easy)$", message = "must be one of again, hard, good, easy")
            @Schema(example = "good")
            String rating,

            @Schema(description = "When the review happened (offline clients sync later); default now")
            Instant reviewedAt,

            @Min(0)
            @Max(86_400_000)
            @Schema(
                    description =
                            "How long the learner took, in milliseconds (kept in the review log and its CSV export)",
                    example = "5400")
            Integer durationMs) {}

    @Schema(name = "ReviewSettings")
    public record ReviewSettingsView(
            @NotNull @DecimalMin("0.7") @DecimalMax("0.99") @Schema(example = "0.9")
            Double desiredRetention,

            @NotNull @Min(1) @Max(36_500) @Schema(example = "36500")
            Integer maximumIntervalDays,

            @Schema(
                    description =
                            "The 21 FSRS-6 weights w0..w20 reviews are scheduled with. In a request: the learner's"
                                    + " own (each within the FSRS reference bounds); [] goes back to the platform's defaults;"
                                    + " leave it out to keep the weights as they are. In a response: the weights in effect",
                    nullable = true)
            List<Double> weights,

            @Schema(
                    description =
                            "Where the weights in effect come from: learner (set with this endpoint), fitted"
                                    + " (POST /api/v1/me/review-settings/fit), platform (the admin's default) or default (FSRS-6)",
                    readOnly = true,
                    enumeration = {"learner", "fitted", "platform", "default"})
            String weightsSource) {}

    @Schema(name = "ReviewDefaults")
    public record ReviewDefaultsView(
            @NotNull
            @Schema(
                    description = "The platform's default FSRS-6 weights w0..w20 for learners without their own;"
                            + " [] goes back to the FSRS-6 defaults. In a response: the weights in effect")
            List<Double> weights,

            @Schema(
                    description = "platform (set by an admin) or default (FSRS-6)",
                    readOnly = true,
                    enumeration = {"platform", "default"})
            String source) {}

    public enum MasteryLevel {
        not_started,
        developing,
        consolidating,
        secure
    }

    @Schema(name = "OutcomeMastery")
    public record MasteryView(
            String outcome,
            String description,
            String subject,
            MasteryLevel level,

            @Schema(description = "Mean current retrievability of the reviewed items, 0-1")
            Double retrievability,

            int items,
            int reviewedItems) {}

    @Schema(name = "Mastery")
    public record MasteryReport(String framework, String subject, List<MasteryView> outcomes) {}
}
