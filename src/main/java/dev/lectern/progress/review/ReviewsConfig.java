package dev.lectern.progress.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lectern.reviews.*} (environment: {@code LECTERN_REVIEWS_*}): how spaced-repetition reviews are scheduled. */
@ConfigMapping(prefix = "lectern.reviews")
public interface ReviewsConfig {

    /**
     * Fuzz FSRS review intervals ({@code LECTERN_REVIEWS_FUZZ}); seeded per item and review count, so replaying a
     * history gives the same schedule.
     */
    @WithDefault("true")
    boolean fuzz();

    /**
     * Reviews a learner's log must hold before a fit changes their weights ({@code LECTERN_REVIEWS_FIT_MINIMUM_REVIEWS});
     * below, the fit keeps them. On synthetic learners fits from 500 reviews predicted held-out reviews worse than the
     * defaults on average, fits from 2,000 better (docs/BENCHMARKS.md).
     */
    @WithDefault("1000")
    int fitMinimumReviews();

    /**
     * The most reviews a fit reads, the most recently started cards first ({@code LECTERN_REVIEWS_FIT_MAX_REVIEWS}):
     * bounds the memory and time of one fit (10,000 reviews fit in under half a second).
     */
    @WithDefault("100000")
    int fitMaxReviews();
}
