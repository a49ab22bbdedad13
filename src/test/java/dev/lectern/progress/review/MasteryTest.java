package dev.lectern.progress.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.progress.review.ReviewViews.MasteryLevel;
import org.junit.jupiter.api.Test;

/** The mastery thresholds, at and around each boundary. */
class MasteryTest {

    @Test
    void anOutcomeWithoutReviewedItemsIsNotStarted() {
        assertThat(Mastery.level(0, null, null)).isEqualTo(MasteryLevel.not_started);
        assertThat(Mastery.level(2, null, null)).isEqualTo(MasteryLevel.not_started);
    }

    @Test
    void retrievabilityBelowSeventyPercentIsDeveloping() {
        assertThat(Mastery.level(1, 0.0, 100.0)).isEqualTo(MasteryLevel.developing);
        assertThat(Mastery.level(3, 0.6999, 100.0)).isEqualTo(MasteryLevel.developing);
    }

    @Test
    void fromSeventyToNinetyPercentIsConsolidating() {
        assertThat(Mastery.level(1, 0.70, 100.0)).isEqualTo(MasteryLevel.consolidating);
        assertThat(Mastery.level(1, 0.8999, 100.0)).isEqualTo(MasteryLevel.consolidating);
    }

    @Test
    void highRetrievabilityWithAShortLivedMemoryIsStillConsolidating() {
        assertThat(Mastery.level(2, 0.95, 20.99)).isEqualTo(MasteryLevel.consolidating);
    }

    @Test
    void ninetyPercentWithEveryItemStableForThreeWeeksIsSecure() {
        assertThat(Mastery.level(2, 0.90, 21.0)).isEqualTo(MasteryLevel.secure);
        assertThat(Mastery.level(1, 1.0, 365.0)).isEqualTo(MasteryLevel.secure);
    }
}
