package dev.lectern.progress.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A learner's FSRS settings; absent means the defaults (retention 0.9, maximum interval 36500 days, the platform's
 * weights). {@code weights} are the learner's own 21 FSRS-6 weights, set by the learner ({@code weightsSource}
 * "learner") or fitted to their review log ("fitted"); null means the platform's.
 */
@Entity
@Table(name = "review_settings")
public class ReviewSettings {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "desired_retention")
    public double desiredRetention;

    @Column(name = "maximum_interval_days")
    public int maximumIntervalDays;

    @Column(name = "weights", columnDefinition = "_float8" /* double precision[] */)
    public double[] weights;

    @Column(name = "weights_source", columnDefinition = "text")
    public String weightsSource;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
