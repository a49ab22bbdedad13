package dev.lectern.progress.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One review, appended and never changed: the history FSRS parameters can later be optimised from. */
@Entity
@Table(name = "review_logs")
public class ReviewLog {

    @Id
    public UUID id;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "user_id")
    public UUID userId;

    @Column(columnDefinition = "text")
    public String rating;

    @Column(name = "reviewed_at")
    public Instant reviewedAt;

    @Column(name = "elapsed_days")
    public int elapsedDays;

    @Column(name = "scheduled_days")
    public int scheduledDays;

    @Column(name = "state_before", columnDefinition = "text")
    public String stateBefore;

    @Column(name = "state_after", columnDefinition = "text")
    public String stateAfter;

    @Column(name = "stability_after")
    public double stabilityAfter;

    @Column(name = "difficulty_after")
    public double difficultyAfter;

    @Column(name = "due_after")
    public Instant dueAfter;

    /** How long the review took, in milliseconds, when the client said. */
    @Column(name = "duration_ms")
    public Integer durationMs;

    @Column(name = "created_at")
    public Instant createdAt;
}
