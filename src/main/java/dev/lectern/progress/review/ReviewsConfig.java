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
}
