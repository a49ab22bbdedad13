package dev.lectern.progress.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A learner's FSRS settings; absent means the defaults (retention 0.9, maximum interval 36500 days). */
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

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
