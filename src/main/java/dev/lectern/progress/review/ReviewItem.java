package dev.lectern.progress.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** Something a learner reviews with spaced repetition, with its FSRS memory state. */
@Entity
@Table(name = "review_items")
public class ReviewItem {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "outcome_id")
    public UUID outcomeId;

    @Column(name = "chapter_id")
    public UUID chapterId;

    @Column(name = "section_number")
    public Integer sectionNumber;

    @Column(columnDefinition = "text")
    public String front;

    @Column(columnDefinition = "text")
    public String back;

    @Column(columnDefinition = "text")
    public String state;

    public Integer step;
    public Double stability;
    public Double difficulty;
    public Instant due;

    @Column(name = "last_review")
    public Instant lastReview;

    public int reps;
    public int lapses;

    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    Fsrs.Card card() {
        return new Fsrs.Card(Fsrs.State.fromCode(state), step, stability, difficulty, due, lastReview);
    }
}
