package dev.lectern.progress.review;

import dev.lectern.progress.review.Fsrs.Card;
import dev.lectern.progress.review.Fsrs.Rating;
import dev.lectern.progress.review.FsrsOptimizer.Review;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated learner whose memory follows FSRS-6 with known weights: each card is scheduled by {@link Fsrs} with those
 * weights or, to mimic a learner scheduled with the defaults before any fit, with other scheduler weights (default
 * learning and relearning steps, fuzz on), reviewed at its due time or, one time in three, late by up
 * to 60 % of the interval, and recalled with the model's own probability. A review a day or more after the previous
 * one is recalled with {@link Fsrs#retrievability} (whole days, exactly what the fitter predicts); a same-day step
 * with the forgetting curve at the fractional day. Recalled reviews are HARD, GOOD or EASY 15/75/10 %; a new card's
 * first rating is AGAIN, HARD, GOOD or EASY 15/10/65/10 %. Cards start over the first 300 days of a year. Everything is
 * drawn from one seed.
 */
final class SyntheticLearner {

    static final Instant START = Instant.parse("2025-01-06T08:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private SyntheticLearner() {}

    /** A log of exactly reviews reviews (the last card cut short), scheduled with the memory's own weights. */
    static List<List<Review>> history(double[] weights, int reviews, long seed) {
        return history(weights, weights, reviews, seed);
    }

    /** A log of a learner whose memory follows weights, scheduled with schedulerWeights. */
    static List<List<Review>> history(double[] weights, double[] schedulerWeights, int reviews, long seed) {
        Fsrs memory = new Fsrs(Fsrs.Settings.defaults().withParameters(weights));
        Fsrs scheduler = new Fsrs(Fsrs.Settings.defaults().withParameters(schedulerWeights));
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Review>> cards = new ArrayList<>();
        int total = 0;
        while (total < reviews) {
            List<Review> card = card(memory, scheduler, weights, random.split(), reviews - total);
            cards.add(card);
            total += card.size();
        }
        return cards;
    }

    private static List<Review> card(
            Fsrs memory, Fsrs scheduler, double[] weights, SplittableRandom random, int atMost) {
        long startSecond = (long) (random.nextDouble() * Duration.ofDays(300).toSeconds());
        Instant at = START.plusSeconds(startSecond);
        Instant end = START.plus(YEAR);
        Card card = Card.fresh(at);
        Card scheduled = card;
        List<Review> reviews = new ArrayList<>();
        while (!at.isAfter(end) && reviews.size() < atMost) {
            Rating rating = card.lastReview() == null ? firstRating(random) : rating(memory, weights, card, at, random);
            reviews.add(new Review(at, rating));
            long fuzzSeed = random.nextLong();
            card = memory.review(card, rating, at, fuzzSeed).card();
            scheduled = scheduler.review(scheduled, rating, at, fuzzSeed).card();
            at = scheduled.due();
            if (random.nextInt(3) == 0) {
                long interval = Duration.between(scheduled.lastReview(), scheduled.due())
                        .toSeconds();
                at = at.plusSeconds((long) (random.nextDouble() * 0.6 * interval));
            }
        }
        return reviews;
    }

    private static Rating firstRating(SplittableRandom random) {
        double u = random.nextDouble();
        return u < 0.15 ? Rating.AGAIN : u < 0.25 ? Rating.HARD : u < 0.9 ? Rating.GOOD : Rating.EASY;
    }

    private static Rating rating(Fsrs memory, double[] weights, Card card, Instant at, SplittableRandom random) {
        double p = Fsrs.wholeDays(card.lastReview(), at) >= 1
                ? memory.retrievability(card, at)
                : Fsrs.forgettingCurve(
                        weights, Duration.between(card.lastReview(), at).toSeconds() / 86_400.0, card.stability());
        if (random.nextDouble() >= p) {
            return Rating.AGAIN;
        }
        double u = random.nextDouble();
        return u < 0.15 ? Rating.HARD : u < 0.9 ? Rating.GOOD : Rating.EASY;
    }

    /** Weights a little away from the given ones: each moved by up to fraction of its range, seeded, within bounds. */
    static double[] perturbed(double[] weights, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            double range = Math.min(Fsrs.upperBound(i) - Fsrs.lowerBound(i), 10);
            w[i] += (random.nextDouble() * 2 - 1) * fraction * range;
        }
        FsrsOptimizer.clip(w, 1);
        return w;
    }

    /** Splits cards into {training, held out}: about one card in five held out, chosen by the seed. */
    static List<List<List<Review>>> splitByCard(List<List<Review>> cards, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Review>> train = new ArrayList<>();
        List<List<Review>> heldOut = new ArrayList<>();
        for (List<Review> card : cards) {
            (random.nextInt(5) == 0 ? heldOut : train).add(card);
        }
        return List.of(train, heldOut);
    }
}
