package dev.lectern.progress.review;

import dev.lectern.progress.review.Fsrs.Memory;
import dev.lectern.progress.review.Fsrs.Rating;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Fits the 21 FSRS-6 weights to one learner's review log: the FSRS optimizer, as pure CPU-bound logic (no I/O), meant
 * to run as a background job.
 *
 * <p>It follows the reference optimizer of the open-spaced-repetition project (repository
 * {@code open-spaced-repetition/fsrs-rs}, files {@code src/training.rs}, {@code src/parameter_initialization.rs},
 * {@code src/parameter_clipper.rs}, {@code src/dataset.rs}; the Python package {@code fsrs_optimizer} does the same).
 * Written from those, not copied:
 * <ul>
 *   <li><b>What is predicted.</b> Each review of a card that comes at least one whole day (floored, as {@link Fsrs}
 *       counts) after the card's previous review; the label is "recalled" (rating above AGAIN), the prediction the
 *       recall probability R = (1 + factor t / S)^(-w20) after replaying the card's earlier reviews through
 *       {@link Fsrs}'s own formulas. Same-day reviews are never predicted, but they move the memory state through the
 *       short-term formula (w17..w19), as in the reference.</li>
 *   <li><b>Objective.</b> Binary cross-entropy of those predictions, each weighted by recency (0.25 + 0.75 x^3, x the
 *       review's rank in time from 0 to 1), plus an L2 pull towards the starting weights scaled by the reference's
 *       per-weight standard deviations (gamma 1).</li>
 *   <li><b>First-review initialisation.</b> The four initial stabilities w0..w3 are fitted first, per first rating,
 *       from the recall at each card's first long-term review: grouped by elapsed days, recall Laplace-smoothed
 *       towards the mean recall, a one-dimensional search over [0.001, 100] of the count-weighted cross-entropy plus
 *       |S - S0| / 16, after dropping rare elapsed-day groups (the reference's outlier rule); then made monotone and
 *       completed for ratings without data by the reference's log-linear relations between ratings (0.41, 0.54).</li>
 *   <li><b>Descent.</b> Adam (0.9, 0.999, 1e-8) with a cosine-annealed learning rate from 0.04, 5 epochs over batches
 *       of about 512 predictions (whole cards per batch), batch order shuffled with a fixed seed, and the weights
 *       clipped after every step to the reference's clamps (which are {@link Fsrs}'s bounds, with w19 at least 0.01
 *       and, for more than one relearning step, a ceiling on w17 and w18). Gradients are central finite differences
 *       of the loss computed with {@link Fsrs}'s formulas, so the fitter optimises exactly the model the scheduler
 *       runs, and the same input gives the same weights.</li>
 *   <li><b>Little data.</b> As in the reference: fewer than 8 predictions keep the starting weights; fewer than 64
 *       (or no card with two long-term reviews) fit only the initial stabilities.</li>
 * </ul>
 * Differences from the reference: the outlier rule only filters the data for the initial stabilities (the reference
 * also drops those cards' later reviews from training; a single learner's log is too small to lose them); no limit
 * on sequence length; and the result is kept only when it lowers the (unweighted) log-loss on the log it was fitted
 * to, otherwise the starting weights are kept, as Anki does.
 */
public final class FsrsOptimizer {

    /** One review of a card: when, and the rating. */
    public record Review(Instant reviewedAt, Rating rating) {}

    /**
     * How the fitter runs; {@link #defaults()} are the reference optimizer's values.
     *
     * @param minimumReviews   below this many reviews in the log the starting weights are kept
     * @param epochs           passes over the log
     * @param batchSize        predictions per gradient step (whole cards, so batches can be a little larger)
     * @param learningRate     Adam's initial learning rate, annealed to 0 on a cosine
     * @param gamma            strength of the L2 pull towards the starting weights
     * @param seed             seed of the batch-order shuffle
     * @param relearningSteps  the learner's number of relearning steps (more than one caps w17 and w18)
     */
    public record Config(
            int minimumReviews,
            int epochs,
            int batchSize,
            double learningRate,
            double gamma,
            long seed,
            int relearningSteps) {

        public Config {
            if (minimumReviews < 0 || epochs < 1 || batchSize < 1 || relearningSteps < 0) {
                throw new IllegalArgumentException(
                        "minimumReviews and relearningSteps must be >= 0, epochs and" + " batchSize >= 1");
            }
            if (!(learningRate > 0 && Double.isFinite(learningRate)) || !(gamma >= 0 && Double.isFinite(gamma))) {
                throw new IllegalArgumentException("learningRate must be positive and gamma non-negative");
            }
        }

        /**
         * 1000 reviews minimum, then the reference's values: 5 epochs, batches of 512, learning rate 0.04, gamma 1,
         * seed 2023, 1 relearning step. The minimum is Lectern's: on synthetic learners (bench/results/fsrs-fit.md)
         * a fit from 500 reviews predicted held-out cards worse than the defaults on average, one from 2000 better.
         */
        public static Config defaults() {
            return new Config(1000, 5, 512, 0.04, 1.0, 2023, 1);
        }

        public Config withMinimumReviews(int n) {
            return new Config(n, epochs, batchSize, learningRate, gamma, seed, relearningSteps);
        }

        public Config withRelearningSteps(int n) {
            return new Config(minimumReviews, epochs, batchSize, learningRate, gamma, seed, n);
        }
    }

    /**
     * How well weights predict a log, as the FSRS benchmark measures it.
     *
     * @param logLoss     mean binary cross-entropy of the predicted recall against recalled / forgotten
     * @param rmseBins    RMSE(bins): predictions grouped by elapsed days, review count and lapse count (logarithmic
     *                    bins), root of the count-weighted mean squared gap between mean prediction and mean recall
     * @param predictions how many reviews were predicted (those a day or more after the card's previous review)
     */
    public record Metrics(double logLoss, double rmseBins, int predictions) {}

    /** What the fitter did. */
    public enum Kind {
        /** The starting weights are kept (the reason says why). */
        KEPT,
        /** Too little data for the descent: only w0..w3 were fitted. */
        INITIAL_STABILITIES,
        /** All 21 weights were fitted. */
        FITTED
    }

    /**
     * The fitter's answer.
     *
     * @param kind        what it did
     * @param reason      why, in a sentence for the learner or operator
     * @param weights     the 21 weights to use (the starting ones when kept), within {@link Fsrs}'s bounds
     * @param before      the starting weights on the log; null when the log has nothing to predict
     * @param after       the returned weights on the log; null when the log has nothing to predict
     * @param reviews     reviews in the log
     */
    public record Result(Kind kind, String reason, double[] weights, Metrics before, Metrics after, int reviews) {

        public Result {
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }
    }

    /** Predictions below which the starting weights are kept, and below which only w0..w3 are fitted (reference). */
    static final int MINIMUM_PREDICTIONS = 8;

    static final int MINIMUM_PREDICTIONS_FOR_DESCENT = 64;

    /** Per-weight standard deviations the reference scales its L2 pull with. */
    private static final double[] WEIGHT_STDDEV = {
        6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3, 0.09, 0.16, 0.57, 0.25, 1.03, 0.31,
        0.32, 0.14, 0.27,
    };

    private static final double PROBABILITY_FLOOR = 1e-7;
    private static final double INITIAL_STABILITY_MAX = 100.0;
    /** Relative step of the finite differences: far above rounding noise of a batch loss, far below any curvature. */
    private static final double FINITE_DIFFERENCE_STEP = 1e-5;

    private final Config config;

    public FsrsOptimizer(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Fits from {@link Fsrs#defaultParameters()}. */
    public Result fit(List<List<Review>> cards, DoubleConsumer progress, BooleanSupplier cancelled) {
        return fit(cards, Fsrs.defaultParameters(), progress, cancelled);
    }

    /**
     * Fits weights to a learner's log, starting from (and pulled towards) start.
     *
     * @param cards     the log: one list of reviews per card, in any order (sorted here by time)
     * @param start     the 21 weights to start from, within {@link Fsrs}'s bounds (the learner's current weights)
     * @param progress  told the fraction done, 0..1, non-decreasing, ending with 1
     * @param cancelled polled between steps; when it answers true the fit stops with a {@link CancellationException}
     * @throws IllegalArgumentException for a null review, time or rating, or bad starting weights
     */
    public Result fit(List<List<Review>> cards, double[] start, DoubleConsumer progress, BooleanSupplier cancelled) {
        double[] initial = Fsrs.Settings.defaults().withParameters(start).parameters();
        DoubleConsumer report = progress == null ? f -> {} : progress;
        BooleanSupplier stop = cancelled == null ? () -> false : cancelled;
        Result result = fitFrom(cards, initial, report, stop);
        report.accept(1.0);
        return result;
    }

    private Result fitFrom(List<List<Review>> cards, double[] initial, DoubleConsumer report, BooleanSupplier stop) {
        checkCancelled(stop);
        List<CardLog> log = prepare(cards);
        int reviews = log.stream().mapToInt(c -> c.ratings.length).sum();
        int predictions = log.stream().mapToInt(c -> c.predictions).sum();
        report.accept(0.02);
        if (reviews < config.minimumReviews()) {
            return kept(initial, log, reviews, reviews + " reviews; fitting needs at least " + config.minimumReviews());
        }
        if (predictions < MINIMUM_PREDICTIONS) {
            return kept(
                    initial,
                    log,
                    reviews,
                    predictions + " reviews came a day or more after an earlier review of the same card; fitting needs"
                            + " at least " + MINIMUM_PREDICTIONS);
        }
        assignRecencyWeights(log, predictions);
        InitialStabilities pre = fitInitialStabilities(log, initial);
        double[] weights = initial.clone();
        System.arraycopy(pre.stabilities(), 0, weights, 0, 4);
        clip(weights, config.relearningSteps());
        checkCancelled(stop);
        report.accept(0.05);

        Kind kind;
        String reason;
        boolean secondLongTermReview = log.stream().anyMatch(c -> c.predictions > 1);
        if (predictions < MINIMUM_PREDICTIONS_FOR_DESCENT || !secondLongTermReview) {
            kind = Kind.INITIAL_STABILITIES;
            reason = predictions + " predictable reviews" + (secondLongTermReview ? "" : ", none a card's second")
                    + ": only the four initial stabilities were fitted";
        } else {
            weights = descend(log, predictions, weights, report, stop);
            Map<Integer, Double> trained = new TreeMap<>();
            for (int r = 1; r <= 4; r++) {
                trained.put(r, weights[r - 1]);
            }
            double[] smoothed = smoothAndFill(trained, pre.counts(), initial);
            if (smoothed != null) {
                System.arraycopy(smoothed, 0, weights, 0, 4);
            }
            clip(weights, config.relearningSteps());
            kind = Kind.FITTED;
            reason = "all 21 weights fitted to " + predictions + " predictable reviews of " + log.size() + " cards";
        }
        report.accept(0.96);
        Metrics before = evaluatePrepared(initial, log);
        Metrics after = evaluatePrepared(weights, log);
        if (!allFinite(weights) || !(after.logLoss() < before.logLoss())) {
            return kept(initial, log, reviews, "the fitted weights predicted this log no better than the current ones");
        }
        // the fitter only ever returns weights the scheduler accepts
        weights = Fsrs.Settings.defaults().withParameters(weights).parameters();
        return new Result(kind, reason, weights, before, after, reviews);
    }

    /** How well weights predict a log (null when nothing in it is predictable). */
    public static Metrics evaluate(double[] weights, List<List<Review>> cards) {
        double[] w = Fsrs.Settings.defaults().withParameters(weights).parameters();
        return evaluatePrepared(w, prepare(cards));
    }

    /** The first-review initialisation alone: w0..w3 fitted to the log's first long-term reviews. */
    static double[] initialStabilities(List<List<Review>> cards, double[] start) {
        List<CardLog> log = prepare(cards);
        return new FsrsOptimizer(Config.defaults())
                .fitInitialStabilities(log, start)
                .stabilities();
    }

    /** Clamps weights in place to the reference optimizer's clamps (all within {@link Fsrs}'s bounds). */
    static void clip(double[] w, int relearningSteps) {
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.min(Math.max(w[i], Fsrs.lowerBound(i)), Fsrs.upperBound(i));
        }
        w[19] = Math.max(w[19], 0.01);
        if (relearningSteps > 1) {
            // after a lapse, each relearning step may multiply stability by up to e^(w17 w18); the reference keeps
            // that product from lifting a lapsed card (D = 1, R = 0.7, S = 1) above its stability before the lapse
            double ceiling = Math.min(
                    Math.sqrt(Math.max(
                            -(Math.log(w[11]) + Math.log(Math.pow(2, w[13]) - 1) + w[14] * 0.3) / relearningSteps,
                            0.01)),
                    2.0);
            w[17] = Math.min(w[17], ceiling);
            w[18] = Math.min(w[18], ceiling);
        }
    }

    // ---- the log, prepared once -------------------------------------------------------------------------------

    /** One card's reviews in time order: rating values, whole days since the previous review, recency weights. */
    private static final class CardLog {
        final Instant[] times;
        final Rating[] ratings;
        final long[] elapsed;
        final double[] weight;
        final int predictions;

        CardLog(List<Review> reviews) {
            int n = reviews.size();
            times = new Instant[n];
            ratings = new Rating[n];
            elapsed = new long[n];
            weight = new double[n];
            int p = 0;
            for (int i = 0; i < n; i++) {
                times[i] = reviews.get(i).reviewedAt();
                ratings[i] = reviews.get(i).rating();
                elapsed[i] = i == 0 ? 0 : Fsrs.wholeDays(times[i - 1], times[i]);
                if (isPrediction(i)) {
                    weight[i] = 1.0;
                    p++;
                }
            }
            predictions = p;
        }

        boolean isPrediction(int i) {
            return i > 0 && elapsed[i] > 0;
        }

        /** Index of the first review a day or more after the previous one, or -1. */
        int firstLongTerm() {
            for (int i = 1; i < elapsed.length; i++) {
                if (elapsed[i] > 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static List<CardLog> prepare(List<List<Review>> cards) {
        if (cards == null) {
            throw new IllegalArgumentException("the log must not be null");
        }
        List<CardLog> log = new ArrayList<>(cards.size());
        for (List<Review> card : cards) {
            if (card == null || card.isEmpty()) {
                continue;
            }
            for (Review r : card) {
                if (r == null || r.reviewedAt() == null || r.rating() == null) {
                    throw new IllegalArgumentException("every review needs a time and a rating");
                }
            }
            List<Review> sorted = new ArrayList<>(card);
            sorted.sort(Comparator.comparing(Review::reviewedAt).thenComparing(Review::rating));
            log.add(new CardLog(sorted));
        }
        // a canonical order (the batches and the order of the sums follow it): the same log in any order, the same
        // weights to the last bit
        log.sort(FsrsOptimizer::compareCards);
        return log;
    }

    private static int compareCards(CardLog a, CardLog b) {
        for (int i = 0; i < Math.min(a.times.length, b.times.length); i++) {
            int c = a.times[i].compareTo(b.times[i]);
            if (c == 0) {
                c = a.ratings[i].compareTo(b.ratings[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.times.length, b.times.length);
    }

    /** Recency weights 0.25 + 0.75 x^3, x the prediction's rank in time scaled to 0..1 (reference). */
    private static void assignRecencyWeights(List<CardLog> log, int predictions) {
        long[][] order = new long[predictions][];
        int k = 0;
        for (int c = 0; c < log.size(); c++) {
            CardLog card = log.get(c);
            for (int i = 0; i < card.ratings.length; i++) {
                if (card.isPrediction(i)) {
                    Instant t = card.times[i];
                    order[k++] = new long[] {t.getEpochSecond(), t.getNano(), c, i};
                }
            }
        }
        Arrays.sort(
                order,
                Comparator.<long[]>comparingLong(o -> o[0])
                        .thenComparingLong(o -> o[1])
                        .thenComparingLong(o -> o[2])
                        .thenComparingLong(o -> o[3]));
        double span = Math.max(predictions - 1, 1);
        for (int rank = 0; rank < predictions; rank++) {
            double x = rank / span;
            log.get((int) order[rank][2]).weight[(int) order[rank][3]] = 0.25 + 0.75 * x * x * x;
        }
    }

    // ---- loss and metrics ---------------------------------------------------------------------------------------

    private static double crossEntropy(double p, double y) {
        double q = Math.min(Math.max(p, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR);
        return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }

    /** Sum of recency-weighted cross-entropies of a card's predictions, replaying it with the weights. */
    private static double cardLoss(double[] w, CardLog card) {
        Memory memory = Fsrs.firstMemory(w, card.ratings[0]);
        double loss = 0;
        for (int i = 1; i < card.ratings.length; i++) {
            long t = card.elapsed[i];
            double r = 1.0;
            if (t > 0) {
                r = Fsrs.forgettingCurve(w, t, memory.stability());
                loss += card.weight[i] * crossEntropy(r, card.ratings[i] == Rating.AGAIN ? 0 : 1);
            }
            memory = Fsrs.nextMemory(w, memory, t, r, card.ratings[i]);
        }
        return loss;
    }

    private static double batchLoss(double[] w, List<CardLog> batch) {
        double loss = 0;
        for (CardLog card : batch) {
            loss += cardLoss(w, card);
        }
        return loss;
    }

    private static Metrics evaluatePrepared(double[] w, List<CardLog> log) {
        double loss = 0;
        int n = 0;
        Map<Long, double[]> bins = new HashMap<>();
        for (CardLog card : log) {
            Memory memory = Fsrs.firstMemory(w, card.ratings[0]);
            int longTerm = 0;
            int lapses = 0;
            for (int i = 1; i < card.ratings.length; i++) {
                long t = card.elapsed[i];
                double r = 1.0;
                boolean recalled = card.ratings[i] != Rating.AGAIN;
                if (t > 0) {
                    r = Fsrs.forgettingCurve(w, t, memory.stability());
                    loss += crossEntropy(r, recalled ? 1 : 0);
                    n++;
                    longTerm++;
                    double[] bin = bins.computeIfAbsent(binOf(t, longTerm + 1, lapses), b -> new double[3]);
                    bin[0] += r;
                    bin[1] += recalled ? 1 : 0;
                    bin[2] += 1;
                    if (!recalled) {
                        lapses++;
                    }
                }
                memory = Fsrs.nextMemory(w, memory, t, r, card.ratings[i]);
            }
        }
        if (n == 0) {
            return null;
        }
        double squares = 0;
        double count = 0;
        for (double[] bin : bins.values()) {
            double gap = bin[0] / bin[2] - bin[1] / bin[2];
            squares += gap * gap * bin[2];
            count += bin[2];
        }
        return new Metrics(loss / n, Math.sqrt(squares / count), n);
    }

    /**
     * The FSRS benchmark's RMSE bin of a prediction: elapsed days, reviews so far (long-term ones, counting the first
     * review and this one) and earlier long-term lapses, each on a logarithmic scale, packed into one key.
     */
    private static long binOf(long elapsedDays, int length, int lapses) {
        long days = Math.round(2.48 * Math.pow(3.62, Math.floor(Math.log(elapsedDays) / Math.log(3.62))) * 100);
        long reviews = Math.round(1.99 * Math.pow(1.89, Math.floor(Math.log(length) / Math.log(1.89))));
        long lapse = lapses == 0 ? 0 : Math.round(1.65 * Math.pow(1.73, Math.floor(Math.log(lapses) / Math.log(1.73))));
        return (days << 40) | (reviews << 20) | lapse;
    }

    // ---- the initial stabilities ----------------------------------------------------------------------------------

    private record InitialStabilities(double[] stabilities, Map<Integer, Integer> counts) {}

    /** Recall at a first long-term review: elapsed days, how many, how many recalled. */
    private static final class RecallGroup {
        final long days;
        int count;
        int recalled;

        RecallGroup(long days) {
            this.days = days;
        }
    }

    private InitialStabilities fitInitialStabilities(List<CardLog> log, double[] initial) {
        // first rating -> elapsed days at the card's first long-term review -> recall
        Map<Integer, Map<Long, RecallGroup>> byRating = new TreeMap<>();
        double recalled = 0;
        double predictions = 0;
        for (CardLog card : log) {
            for (int i = 1; i < card.ratings.length; i++) {
                if (card.isPrediction(i)) {
                    predictions++;
                    recalled += card.ratings[i] == Rating.AGAIN ? 0 : 1;
                }
            }
            int first = card.firstLongTerm();
            if (first < 0) {
                continue;
            }
            RecallGroup g = byRating.computeIfAbsent(card.ratings[0].value(), r -> new TreeMap<>())
                    .computeIfAbsent(card.elapsed[first], RecallGroup::new);
            g.count++;
            g.recalled += card.ratings[first] == Rating.AGAIN ? 0 : 1;
        }
        double averageRecall = recalled / predictions;
        Map<Integer, Double> fitted = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Map.Entry<Integer, Map<Long, RecallGroup>> e : byRating.entrySet()) {
            int rating = e.getKey();
            List<RecallGroup> kept = withoutOutliers(rating, e.getValue().values());
            if (kept.isEmpty()) {
                continue;
            }
            counts.put(rating, kept.stream().mapToInt(g -> g.count).sum());
            fitted.put(rating, searchStability(kept, averageRecall, initial, initial[rating - 1]));
        }
        double[] s = smoothAndFill(fitted, counts, initial);
        return new InitialStabilities(s == null ? Arrays.copyOf(initial, 4) : s, counts);
    }

    /**
     * The reference's outlier rule for one first rating: drop the rarest elapsed-day groups until at least
     * max(20, total / 20) cards are dropped, and any remaining group of fewer than 6 cards or beyond 100 days (365
     * for EASY).
     */
    private static List<RecallGroup> withoutOutliers(int rating, java.util.Collection<RecallGroup> groups) {
        List<RecallGroup> ascending = new ArrayList<>(groups);
        // rarest first; among equally rare, the shorter interval first
        ascending.sort(Comparator.<RecallGroup>comparingInt(g -> g.count).thenComparingLong(g -> g.days));
        int total = ascending.stream().mapToInt(g -> g.count).sum();
        int threshold = Math.max(20, total / 20);
        long longest = rating == Rating.EASY.value() ? 365 : 100;
        int removed = 0;
        List<RecallGroup> kept = new ArrayList<>();
        for (RecallGroup g : ascending) {
            if (removed + g.count >= threshold) {
                if (g.count >= 6 && g.days <= longest) {
                    kept.add(g);
                }
            } else {
                removed += g.count;
            }
        }
        return kept;
    }

    /** Ternary search of the stability minimising count-weighted cross-entropy of smoothed recall + |S - S0| / 16. */
    private static double searchStability(
            List<RecallGroup> groups, double averageRecall, double[] initial, double defaultStability) {
        double low = Fsrs.STABILITY_MIN;
        double high = INITIAL_STABILITY_MAX;
        for (int iteration = 0; iteration < 200 && high - low > 1e-9; iteration++) {
            double a = low + (high - low) / 3;
            double b = high - (high - low) / 3;
            if (initialStabilityLoss(groups, averageRecall, initial, a, defaultStability)
                    < initialStabilityLoss(groups, averageRecall, initial, b, defaultStability)) {
                high = b;
            } else {
                low = a;
            }
        }
        return (low + high) / 2;
    }

    private static double initialStabilityLoss(
            List<RecallGroup> groups, double averageRecall, double[] initial, double s, double defaultStability) {
        double loss = 0;
        for (RecallGroup g : groups) {
            // Laplace smoothing: one extra pseudo-review at the learner's average recall
            double recall = (g.recalled + averageRecall) / (g.count + 1);
            loss += g.count * crossEntropy(Fsrs.forgettingCurve(initial, g.days, s), recall);
        }
        return loss + Math.abs(s - defaultStability) / 16;
    }

    /** log S0(HARD) = 0.41 log S0(AGAIN) + 0.59 log S0(GOOD) and log S0(GOOD) = 0.46 log S0(HARD) + 0.54 log S0(EASY). */
    private static final double[][] INITIAL_STABILITY_RELATIONS = {
        {0.41, -1, 1 - 0.41, 0},
        {0, 1 - 0.54, -1, 0.54},
    };

    /**
     * The reference's completion of the initial stabilities: keep them increasing with the rating (a pair out of
     * order takes the value of the side with more data), then fill ratings without data from the log-linear relations
     * between neighbouring ratings, or, with a single rating known, by scaling the starting stabilities. Null when no
     * rating has data.
     */
    static double[] smoothAndFill(Map<Integer, Double> fitted, Map<Integer, Integer> counts, double[] initial) {
        Map<Integer, Double> s = new TreeMap<>(fitted);
        s.keySet().retainAll(counts.keySet());
        int[][] pairs = {{1, 2}, {2, 3}, {3, 4}, {1, 3}, {2, 4}, {1, 4}};
        for (int[] pair : pairs) {
            Double small = s.get(pair[0]);
            Double big = s.get(pair[1]);
            if (small != null && big != null && small > big) {
                if (counts.get(pair[0]) > counts.get(pair[1])) {
                    s.put(pair[1], small);
                } else {
                    s.put(pair[0], big);
                }
            }
        }
        double[] out = new double[4];
        switch (s.size()) {
            case 0 -> {
                return null;
            }
            case 1 -> {
                int rating = s.keySet().iterator().next();
                double scale = s.get(rating) / initial[rating - 1];
                for (int i = 0; i < 4; i++) {
                    out[i] = initial[i] * scale;
                }
                Arrays.sort(out);
            }
            default -> {
                double[] x = new double[4];
                boolean[] known = new boolean[4];
                for (Map.Entry<Integer, Double> e : s.entrySet()) {
                    x[e.getKey() - 1] = Math.log(e.getValue());
                    known[e.getKey() - 1] = true;
                }
                solveMissing(x, known);
                for (int i = 0; i < 4; i++) {
                    out[i] = known[i] ? s.get(i + 1) : Math.exp(x[i]);
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            out[i] = Math.min(Math.max(out[i], Fsrs.STABILITY_MIN), INITIAL_STABILITY_MAX);
        }
        return out;
    }

    /** Fills one or two unknown log-stabilities from the two relations (one unknown: AGAIN/HARD from the first). */
    private static void solveMissing(double[] x, boolean[] known) {
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (!known[i]) {
                unknown.add(i);
            }
        }
        if (unknown.size() == 1) {
            int u = unknown.get(0);
            double[] relation = INITIAL_STABILITY_RELATIONS[u < 2 ? 0 : 1];
            x[u] = -rest(relation, x, known) / relation[u];
        } else if (unknown.size() == 2) {
            int u = unknown.get(0);
            int v = unknown.get(1);
            double[] a = INITIAL_STABILITY_RELATIONS[0];
            double[] b = INITIAL_STABILITY_RELATIONS[1];
            double ra = -rest(a, x, known);
            double rb = -rest(b, x, known);
            double det = a[u] * b[v] - a[v] * b[u];
            x[u] = (ra * b[v] - a[v] * rb) / det;
            x[v] = (a[u] * rb - ra * b[u]) / det;
        }
    }

    private static double rest(double[] relation, double[] x, boolean[] known) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            if (known[i]) {
                sum += relation[i] * x[i];
            }
        }
        return sum;
    }

    // ---- the descent --------------------------------------------------------------------------------------------

    private double[] descend(
            List<CardLog> log, int predictions, double[] initial, DoubleConsumer report, BooleanSupplier stop) {
        List<List<CardLog>> batches = batches(log);
        int[] batchPredictions = batches.stream()
                .mapToInt(b -> b.stream().mapToInt(c -> c.predictions).sum())
                .toArray();
        double annealingSteps = (predictions / config.batchSize() + 1) * (double) config.epochs();
        int totalSteps = batches.size() * config.epochs();
        double[] w = initial.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] gradient = new double[w.length];
        int[] order = new int[batches.size()];
        SplittableRandom random = new SplittableRandom(config.seed());
        int step = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            shuffle(order, random);
            for (int b : order) {
                checkCancelled(stop);
                gradient(w, batches.get(b), gradient);
                double l2 = config.gamma() * batchPredictions[b] / predictions;
                for (int j = 0; j < w.length; j++) {
                    gradient[j] += 2 * (w[j] - initial[j]) / (WEIGHT_STDDEV[j] * WEIGHT_STDDEV[j]) * l2;
                }
                double rate = config.learningRate() * (1 + Math.cos(Math.PI * step / annealingSteps)) / 2;
                step++;
                adamStep(w, gradient, m, v, step, rate);
                clip(w, config.relearningSteps());
                report.accept(0.05 + 0.9 * step / totalSteps);
            }
        }
        return w;
    }

    /** Whole cards in batches of about batchSize predictions, shortest cards first (reference's windowed batches). */
    private List<List<CardLog>> batches(List<CardLog> log) {
        List<CardLog> cards = new ArrayList<>();
        for (CardLog c : log) {
            if (c.predictions > 0) {
                cards.add(c);
            }
        }
        cards.sort(Comparator.comparingInt(c -> c.ratings.length)); // stable: ties keep the canonical order
        List<List<CardLog>> batches = new ArrayList<>();
        List<CardLog> current = new ArrayList<>();
        int inCurrent = 0;
        for (CardLog c : cards) {
            if (!current.isEmpty() && inCurrent + c.predictions > config.batchSize()) {
                batches.add(current);
                current = new ArrayList<>();
                inCurrent = 0;
            }
            current.add(c);
            inCurrent += c.predictions;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Central finite differences of the batch loss; a non-finite component counts as 0. */
    private static void gradient(double[] w, List<CardLog> batch, double[] out) {
        double[] probe = w.clone();
        for (int j = 0; j < w.length; j++) {
            double h = FINITE_DIFFERENCE_STEP * Math.max(1, Math.abs(w[j]));
            probe[j] = w[j] + h;
            double up = batchLoss(probe, batch);
            probe[j] = w[j] - h;
            double down = batchLoss(probe, batch);
            probe[j] = w[j];
            double g = (up - down) / (2 * h);
            out[j] = Double.isFinite(g) ? g : 0;
        }
    }

    private static void adamStep(double[] w, double[] g, double[] m, double[] v, int t, double rate) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int j = 0; j < w.length; j++) {
            m[j] = beta1 * m[j] + (1 - beta1) * g[j];
            v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
            w[j] -= rate * (m[j] / correction1) / (Math.sqrt(v[j] / correction2) + 1e-8);
        }
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ---- small helpers ------------------------------------------------------------------------------------------

    private static Result kept(double[] initial, List<CardLog> log, int reviews, String reason) {
        Metrics m = evaluatePrepared(initial, log);
        return new Result(Kind.KEPT, reason, initial, m, m, reviews);
    }

    private static boolean allFinite(double[] w) {
        for (double x : w) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static void checkCancelled(BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            throw new CancellationException("the fit was cancelled");
        }
    }
}
