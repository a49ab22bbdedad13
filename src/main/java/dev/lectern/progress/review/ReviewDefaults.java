package dev.lectern.progress.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The platform's default FSRS-6 weights (one row, id 1); absent means the scheduler's built-in defaults. */
@Entity
@Table(name = "review_defaults")
public class ReviewDefaults {

    static final short ID = 1;

    @Id
    public short id;

    @Column(name = "weights", columnDefinition = "_float8" /* double precision[] */)
    public double[] weights;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
