package dev.lectern.progress.review;

import dev.lectern.progress.review.ReviewViews.MasteryLevel;

/**
 * The mastery level of an outcome, from the mean current retrievability R of the learner's reviewed items for it:
 * <ul>
 * <li>{@code not_started}: no reviewed item;</li>
 * <li>{@code developing}: R &lt; 0.70;</li>
 * <li>{@code consolidating}: 0.70 &le; R &lt; 0.90, or R &ge; 0.90 while some item's stability is under 21 days;</li>
 * <li>{@code secure}: R &ge; 0.90 and every reviewed item's stability is at least 21 days (memory that lasts weeks).</li>
 * </ul>
 */
final class Mastery {

    static final double DEVELOPING_BELOW = 0.70;
    static final double SECURE_FROM = 0.90;
    static final double SECURE_MIN_STABILITY_DAYS = 21;

    private Mastery() {}

    /**
     * The level of an outcome with {@code reviewed} reviewed items, their mean current retrievability and their
     * lowest stability in days (both null when none is reviewed).
     */
    static MasteryLevel level(int reviewed, Double retrievability, Double minStability) {
        if (reviewed == 0 || retrievability == null) {
            return MasteryLevel.not_started;
        } else if (retrievability < DEVELOPING_BELOW) {
            return MasteryLevel.developing;
        } else if (retrievability < SECURE_FROM || minStability < SECURE_MIN_STABILITY_DAYS) {
            return MasteryLevel.consolidating;
        } else {
            return MasteryLevel.secure;
        }
    }
}
