package dev.lectern.progress.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The FSRS-6 spaced-repetition scheduler (Free Spaced Repetition Scheduler, the algorithm Anki uses), as one pure
 * function of a card, a rating and a time.
 *
 * <p>Written from, and checked against, the reference scheduler of the open-spaced-repetition project:
 * repository {@code open-spaced-repetition/py-fsrs}, file {@code fsrs/scheduler.py} ({@code Scheduler.review_card} and
 * its helpers), and its Java port, repository {@code open-spaced-repetition/java-fsrs}, file
 * {@code src/main/java/io/github/openspacedrepetition/Scheduler.java}. This is an independent re-implementation, not a
 * copy. With fuzz off it reproduces py-fsrs exactly, including the details that change whole days:
 * <ul>
 *   <li>intervals are rounded half to even (Python's {@code round}, here {@link Math#rint});</li>
 *   <li>elapsed and scheduled days are whole days, floored ({@code timedelta.days});</li>
 *   <li>stability is kept at or above {@value #STABILITY_MIN}, difficulty within 1..10, intervals within
 *       1..maximum;</li>
 *   <li>a review less than one whole day after the previous one uses the short-term (same-day) stability formula;</li>
 *   <li>learning and relearning steps: AGAIN goes back to step 0, HARD stays on the step (on step 0 it waits 1.5 times
 *       a lone step, or the mean of the first two steps), GOOD moves to the next step or graduates after the last,
 *       EASY graduates at once; a card on a step beyond the configured steps graduates on HARD, GOOD or EASY.</li>
 * </ul>
 *
 * <p>Fuzz (on by default, as in py-fsrs) only spreads intervals of cards that end the review in the REVIEW state and
 * only intervals of at least 2.5 days, over py-fsrs's fuzz ranges (15% of the part of the interval between 2.5 and 7
 * days, 10% of the part between 7 and 20, 5% of the part above 20, plus one day, rounded half to even, never below 2
 * days or above the maximum). Two deliberate differences from py-fsrs there: the random draw comes from
 * {@code new SplittableRandom(fuzzSeed)} rather than Python's global generator, so the same seed always gives the same
 * interval; and the draw is mapped onto the range with {@code floor}, so every fuzzed interval lies within
 * [min, max] (py-fsrs rounds the draw, which can give max + 1 and gives the two ends half weight).
 *
 * <p>Default parameters: {@link #defaultParameters()} is the first FSRS-6 default set (decay w20 = 0.2), the one
 * java-fsrs ships and earlier py-fsrs 6 releases shipped, which the reference test vector (GOOD x6, AGAIN x2,
 * GOOD x5 from 2022-11-29T12:30Z giving 0, 4, 14, 45, 135, 372, 0, 0, 2, 5, 10, 20, 40 days) is computed with.
 * Later py-fsrs 6 releases replaced it with a retrained set (decay w20 = 0.1542), available as
 * {@link #retrainedParameters()}; with it the same ratings give 0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21 days.
 */
public final class Fsrs {

    /** Lowest stability the scheduler keeps, in days. */
    public static final double STABILITY_MIN = 0.001;

    static final double MIN_DIFFICULTY = 1.0;
    static final double MAX_DIFFICULTY = 10.0;
    public static final int PARAMETER_COUNT = 21;

    private static final double[] FIRST_FSRS6_DEFAULTS = {
        0.2172, 1.1771, 3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, 1.0178, 1.849, 0.1133, 0.3127,
        2.2934, 0.2191, 3.0004, 0.7536, 0.3332, 0.1437, 0.2,
    };
    private static final double[] RETRAINED_FSRS6_DEFAULTS = {
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629,
        1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    };
    /** Allowed range of each parameter, as py-fsrs validates them. */
    private static final double[] LOWER_BOUNDS = {
        STABILITY_MIN,
        STABILITY_MIN,
        STABILITY_MIN,
        STABILITY_MIN,
        1.0,
        0.001,
        0.001,
        0.001,
        0.0,
        0.0,
        0.001,
        0.001,
        0.001,
        0.001,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.1,
    };

    private static final double[] UPPER_BOUNDS = {
        100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9, 4.0, 1.0, 6.0, 2.0, 2.0, 0.8,
        0.8,
    };
    /** Fuzz ranges: {start day, end day, factor}. */
    private static final double[][] FUZZ_RANGES = {
        {2.5, 7.0, 0.15},
        {7.0, 20.0, 0.1},
        {20.0, Double.POSITIVE_INFINITY, 0.05},
    };

    private static final long SECONDS_PER_DAY = 86_400L;

    /** The first FSRS-6 default parameters (w0..w20, decay 0.2); a fresh copy. */
    public static double[] defaultParameters() {
        return FIRST_FSRS6_DEFAULTS.clone();
    }

    /** Lowest allowed value of parameter i (py-fsrs's bounds, which are also the reference optimizer's clamps). */
    static double lowerBound(int i) {
        return LOWER_BOUNDS[i];
    }

    /** Highest allowed value of parameter i. */
    static double upperBound(int i) {
        return UPPER_BOUNDS[i];
    }

    /** The retrained FSRS-6 default parameters of later py-fsrs 6 releases (decay 0.1542); a fresh copy. */
    public static double[] retrainedParameters() {
        return RETRAINED_FSRS6_DEFAULTS.clone();
    }

    /** How well the learner recalled the card. */
    public enum Rating {
        AGAIN(1),
        HARD(2),
        GOOD(3),
        EASY(4);

        private final int value;

        Rating(int value) {
            this.value = value;
        }

        /** 1 (again) to 4 (easy), as in FSRS. */
        public int value() {
            return value;
        }

        /** Lower-case name: again, hard, good, easy. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The rating named by a lower-case code (again, hard, good, easy). */
        public static Rating fromCode(String lowerCase) {
            if (lowerCase != null) {
                for (Rating r : values()) {
                    if (r.code().equals(lowerCase)) {
                        return r;
                    }
                }
            }
            throw new IllegalArgumentException(
                    "unknown rating '" + lowerCase + "': expected again, hard, good or easy");
        }
    }

    /** Where a card is in its life: on learning steps, in long-term review, or on relearning steps after a lapse. */
    public enum State {
        LEARNING,
        REVIEW,
        RELEARNING;

        /** Lower-case name: learning, review, relearning. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state named by a lower-case code (learning, review, relearning). */
        public static State fromCode(String code) {
            if (code != null) {
                for (State s : values()) {
                    if (s.code().equals(code)) {
                        return s;
                    }
                }
            }
            throw new IllegalArgumentException("unknown state '" + code + "': expected learning, review or relearning");
        }
    }

    /** step is null in REVIEW; stability/difficulty null for a new card; lastReview null for a new card. */
    public record Card(
            State state, Integer step, Double stability, Double difficulty, Instant due, Instant lastReview) {

        /** A card never reviewed: LEARNING, step 0, due now. */
        public static Card fresh(Instant now) {
            return new Card(State.LEARNING, 0, null, null, now, null);
        }
    }

    /**
     * Scheduler settings. The parameters are copied on the way in and out, so a Settings never changes.
     *
     * @param desiredRetention     the recall probability reviews are scheduled for, strictly between 0 and 1
     * @param maximumIntervalDays  the longest interval, in days, at least 1
     * @param learningSteps        the waits of a new card's learning steps (may be empty)
     * @param relearningSteps      the waits of a lapsed card's relearning steps (may be empty)
     * @param fuzz                 whether review intervals are spread a little
     * @param parameters           the 21 FSRS-6 weights w0..w20, each within py-fsrs's bounds
     */
    public record Settings(
            double desiredRetention,
            int maximumIntervalDays,
            List<Duration> learningSteps,
            List<Duration> relearningSteps,
            boolean fuzz,
            double[] parameters) {

        public Settings {
            if (!(desiredRetention > 0.0 && desiredRetention < 1.0)) {
                throw new IllegalArgumentException(
                        "desiredRetention must be strictly between 0 and 1, got " + desiredRetention);
            }
            if (maximumIntervalDays < 1) {
                throw new IllegalArgumentException(
                        "maximumIntervalDays must be at least 1, got " + maximumIntervalDays);
            }
            learningSteps = checkSteps("learningSteps", learningSteps);
            relearningSteps = checkSteps("relearningSteps", relearningSteps);
            parameters = checkParameters(parameters);
        }

        /** Retention 0.9, maximum 36500 days, learning steps 1 and 10 minutes, relearning step 10 minutes, fuzz on. */
        public static Settings defaults() {
            return new Settings(
                    0.9,
                    36_500,
                    List.of(Duration.ofMinutes(1), Duration.ofMinutes(10)),
                    List.of(Duration.ofMinutes(10)),
                    true,
                    FIRST_FSRS6_DEFAULTS);
        }

        /** A copy of the parameters (the record keeps its own). */
        @Override
        public double[] parameters() {
            return parameters.clone();
        }

        public Settings withFuzz(boolean fuzz) {
            return new Settings(
                    desiredRetention, maximumIntervalDays, learningSteps, relearningSteps, fuzz, parameters);
        }

        public Settings withDesiredRetention(double r) {
            return new Settings(r, maximumIntervalDays, learningSteps, relearningSteps, fuzz, parameters);
        }

        public Settings withMaximumInterval(int days) {
            return new Settings(desiredRetention, days, learningSteps, relearningSteps, fuzz, parameters);
        }

        public Settings withLearningSteps(List<Duration> steps) {
            return new Settings(desiredRetention, maximumIntervalDays, steps, relearningSteps, fuzz, parameters);
        }

        public Settings withRelearningSteps(List<Duration> steps) {
            return new Settings(desiredRetention, maximumIntervalDays, learningSteps, steps, fuzz, parameters);
        }

        public Settings withParameters(double[] weights) {
            return new Settings(desiredRetention, maximumIntervalDays, learningSteps, relearningSteps, fuzz, weights);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s
                    && Double.compare(desiredRetention, s.desiredRetention) == 0
                    && maximumIntervalDays == s.maximumIntervalDays
                    && learningSteps.equals(s.learningSteps)
                    && relearningSteps.equals(s.relearningSteps)
                    && fuzz == s.fuzz
                    && Arrays.equals(parameters, s.parameters);
        }

        @Override
        public int hashCode() {
            int h = Double.hashCode(desiredRetention);
            h = 31 * h + maximumIntervalDays;
            h = 31 * h + learningSteps.hashCode();
            h = 31 * h + relearningSteps.hashCode();
            h = 31 * h + Boolean.hashCode(fuzz);
            return 31 * h + Arrays.hashCode(parameters);
        }

        @Override
        public String toString() {
            return "Settings[desiredRetention=" + desiredRetention + ", maximumIntervalDays=" + maximumIntervalDays
                    + ", learningSteps=" + learningSteps + ", relearningSteps=" + relearningSteps + ", fuzz=" + fuzz
                    + ", parameters=" + Arrays.toString(parameters) + "]";
        }

        private static List<Duration> checkSteps(String name, List<Duration> steps) {
            if (steps == null) {
                throw new IllegalArgumentException(name + " must not be null (use an empty list for none)");
            }
            for (Duration d : steps) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException(name + " must all be positive durations, got " + steps);
                }
            }
            return List.copyOf(steps);
        }

        private static double[] checkParameters(double[] w) {
            if (w == null || w.length != PARAMETER_COUNT) {
                throw new IllegalArgumentException("expected " + PARAMETER_COUNT + " parameters, got "
                        + (w == null ? "none" : String.valueOf(w.length)));
            }
            StringBuilder bad = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                String defect = parameterDefect(i, w[i]);
                if (defect != null) {
                    bad.append(bad.isEmpty() ? "" : "; ")
                            .append("parameters[")
                            .append(i)
                            .append("] = ")
                            .append(w[i])
                            .append(' ')
                            .append(defect);
                }
            }
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException("parameters out of bounds: " + bad);
            }
            return w.clone();
        }
    }

    /**
     * Why weight {@code w<index>} cannot be {@code value} (outside py-fsrs's bounds, or not a finite number), or null
     * when it can.
     */
    public static String parameterDefect(int index, double value) {
        return value >= lowerBound(index) && value <= upperBound(index)
                ? null
                : "is outside [" + lowerBound(index) + ", " + upperBound(index) + "]";
    }

    /** The card after a review and what the review log records. */
    public record Outcome(Card card, long elapsedDays, long scheduledDays) {}

    private final Settings settings;
    private final double[] w;
    private final double decay;
    private final double factor;

    public Fsrs(Settings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
        this.w = settings.parameters();
        this.decay = -w[20];
        // chosen so that retrievability is exactly 0.9 when the elapsed days equal the stability
        this.factor = Math.pow(0.9, 1 / decay) - 1;
    }

    public Settings settings() {
        return settings;
    }

    /** Reviews the card at reviewedAt with the rating; fuzzSeed makes fuzzing deterministic (same seed, same result). */
    public Outcome review(Card card, Rating rating, Instant reviewedAt, long fuzzSeed) {
        checkReviewable(card, rating, reviewedAt);
        State before = card.state();
        Long daysSinceLast = card.lastReview() == null ? null : wholeDays(card.lastReview(), reviewedAt);

        // 1. the memory state: stability and difficulty
        Memory memory;
        if (before == State.LEARNING && (card.stability() == null || card.difficulty() == null)) {
            memory = firstMemory(w, rating);
        } else {
            Memory last = new Memory(card.stability(), card.difficulty());
            long elapsed = daysSinceLast == null ? 1 : daysSinceLast;
            memory = nextMemory(w, last, elapsed, retrievability(card, reviewedAt), rating);
        }
        double stability = memory.stability();
        double difficulty = memory.difficulty();

        // 2. the next state, step and interval
        State after;
        Integer step;
        Duration interval;
        if (before == State.REVIEW) {
            if (rating == Rating.AGAIN && !settings.relearningSteps().isEmpty()) {
                after = State.RELEARNING;
                step = 0;
                interval = settings.relearningSteps().get(0);
            } else {
                after = State.REVIEW;
                step = null;
                interval = Duration.ofDays(nextIntervalDays(stability));
            }
        } else {
            List<Duration> steps = before == State.LEARNING ? settings.learningSteps() : settings.relearningSteps();
            int current = card.step();
            boolean graduate = steps.isEmpty()
                    || (current >= steps.size() && rating != Rating.AGAIN)
                    || rating == Rating.EASY
                    || (rating == Rating.GOOD && current + 1 == steps.size());
            if (graduate) {
                after = State.REVIEW;
                step = null;
                interval = Duration.ofDays(nextIntervalDays(stability));
            } else {
                after = before;
                switch (rating) {
                    case AGAIN -> {
                        step = 0;
                        interval = steps.get(0);
                    }
                    case HARD -> {
                        step = current;
                        if (current == 0 && steps.size() == 1) {
                            interval = scale(steps.get(0), 1.5);
                        } else if (current == 0) {
                            interval = scale(steps.get(0).plus(steps.get(1)), 0.5);
                        } else {
                            interval = steps.get(current);
                        }
                    }
                    case GOOD -> {
                        step = current + 1;
                        interval = steps.get(current + 1);
                    }
                    default -> throw new IllegalStateException("EASY always graduates");
                }
            }
        }

        if (settings.fuzz() && after == State.REVIEW) {
            interval = fuzzed(interval, fuzzSeed);
        }
        Instant due = reviewedAt.plus(interval);
        Card next = new Card(after, step, stability, difficulty, due, reviewedAt);
        return new Outcome(next, daysSinceLast == null ? 0 : daysSinceLast, wholeDays(reviewedAt, due));
    }

    /** Probability of recall now, 0..1 (0 for a never-reviewed card). */
    public double retrievability(Card card, Instant at) {
        if (card == null || at == null) {
            throw new IllegalArgumentException("card and time must not be null");
        }
        if (card.lastReview() == null || card.stability() == null) {
            return 0;
        }
        long elapsed = Math.max(0, wholeDays(card.lastReview(), at));
        return forgettingCurve(w, elapsed, card.stability());
    }

    /** The unfuzzed interval, in whole days, for a stability: where retrievability falls to the desired retention. */
    long nextIntervalDays(double stability) {
        double days = (stability / factor) * (Math.pow(settings.desiredRetention(), 1 / decay) - 1);
        long rounded = (long) Math.rint(days);
        return Math.min(Math.max(rounded, 1), settings.maximumIntervalDays());
    }

    /** The fuzz range [min, max] of an interval of at least 3 whole days (py-fsrs's ranges). */
    long[] fuzzRange(long intervalDays) {
        double delta = 1.0;
        for (double[] range : FUZZ_RANGES) {
            delta += range[2] * Math.max(Math.min(intervalDays, range[1]) - range[0], 0.0);
        }
        long min = (long) Math.rint(intervalDays - delta);
        long max = (long) Math.rint(intervalDays + delta);
        min = Math.max(2, min);
        max = Math.min(max, settings.maximumIntervalDays());
        min = Math.min(min, max);
        return new long[] {min, max};
    }

    private Duration fuzzed(Duration interval, long seed) {
        long days = interval.toDays();
        if (days < 2.5) {
            return interval;
        }
        long[] range = fuzzRange(days);
        double draw = new SplittableRandom(seed).nextDouble();
        long fuzzed = range[0] + (long) Math.floor(draw * (range[1] - range[0] + 1));
        return Duration.ofDays(Math.min(Math.min(fuzzed, range[1]), settings.maximumIntervalDays()));
    }

    /** A memory state: stability in days (at least {@value #STABILITY_MIN}) and difficulty (1..10). */
    record Memory(double stability, double difficulty) {}

    /*
     * The FSRS-6 formulas as functions of the weights w, shared by the scheduler (with its own weights) and by
     * FsrsOptimizer (with the weights it is fitting, which may lie a step outside the bounds while it takes a
     * finite difference).
     */

    /**
     * Probability of recall after elapsedDays at a stability: (1 + factor t / S)^(-w20), the factor chosen so that
     * it is exactly 0.9 when t = S.
     */
    static double forgettingCurve(double[] w, double elapsedDays, double stability) {
        double decay = -w[20];
        double factor = Math.pow(0.9, 1 / decay) - 1;
        return Math.pow(1 + factor * elapsedDays / stability, decay);
    }

    /** The memory state after a new card's first review. */
    static Memory firstMemory(double[] w, Rating rating) {
        return new Memory(clampStability(w[rating.value() - 1]), initialDifficulty(w, rating, true));
    }

    /**
     * The memory state after a review elapsedDays (whole days, floored) after the previous one, at which the
     * probability of recall was retrievability: same-day (short-term) stability when less than one whole day passed.
     */
    static Memory nextMemory(double[] w, Memory last, long elapsedDays, double retrievability, Rating rating) {
        double s = last.stability();
        double d = last.difficulty();
        double stability =
                elapsedDays < 1 ? shortTermStability(w, s, rating) : nextStability(w, d, s, retrievability, rating);
        return new Memory(stability, nextDifficulty(w, d, rating));
    }

    private static double initialDifficulty(double[] w, Rating rating, boolean clamp) {
        double d = w[4] - Math.pow(Math.E, w[5] * (rating.value() - 1)) + 1;
        return clamp ? clampDifficulty(d) : d;
    }

    /** Same-day review: stability changes by e^(w17 (G - 3 + w18)) S^-w19, never falling on GOOD or EASY. */
    private static double shortTermStability(double[] w, double stability, Rating rating) {
        double increase = Math.pow(Math.E, w[17] * ((rating.value() - 3) + w[18])) * Math.pow(stability, -w[19]);
        if (rating == Rating.GOOD || rating == Rating.EASY) {
            increase = Math.max(increase, 1.0);
        }
        return clampStability(stability * increase);
    }

    /** Difficulty moves by -w6 (G - 3), damped linearly towards 10, then reverts by w7 towards D0(EASY). */
    private static double nextDifficulty(double[] w, double difficulty, Rating rating) {
        double target = initialDifficulty(w, Rating.EASY, false);
        double delta = -(w[6] * (rating.value() - 3));
        double damped = difficulty + (10.0 - difficulty) * delta / 9.0;
        return clampDifficulty(w[7] * target + (1 - w[7]) * damped);
    }

    private static double nextStability(
            double[] w, double difficulty, double stability, double retrievability, Rating rating) {
        double next = rating == Rating.AGAIN
                ? forgetStability(w, difficulty, stability, retrievability)
                : recallStability(w, difficulty, stability, retrievability, rating);
        return clampStability(next);
    }

    private static double forgetStability(double[] w, double difficulty, double stability, double retrievability) {
        double longTerm = w[11]
                * Math.pow(difficulty, -w[12])
                * (Math.pow(stability + 1, w[13]) - 1)
                * Math.pow(Math.E, (1 - retrievability) * w[14]);
        double shortTerm = stability / Math.pow(Math.E, w[17] * w[18]);
        return Math.min(longTerm, shortTerm);
    }

    private static double recallStability(
            double[] w, double difficulty, double stability, double retrievability, Rating rating) {
        double hardPenalty = rating == Rating.HARD ? w[15] : 1;
        double easyBonus = rating == Rating.EASY ? w[16] : 1;
        return stability
                * (1
                        + Math.pow(Math.E, w[8])
                                * (11 - difficulty)
                                * Math.pow(stability, -w[9])
                                * (Math.pow(Math.E, (1 - retrievability) * w[10]) - 1)
                                * hardPenalty
                                * easyBonus);
    }

    private static double clampStability(double s) {
        return Math.max(s, STABILITY_MIN);
    }

    private static double clampDifficulty(double d) {
        return Math.min(Math.max(d, MIN_DIFFICULTY), MAX_DIFFICULTY);
    }

    /** Whole days from a to b, floored (Python's timedelta.days). */
    static long wholeDays(Instant a, Instant b) {
        return Math.floorDiv(Duration.between(a, b).getSeconds(), SECONDS_PER_DAY);
    }

    /** A step scaled by a factor, rounded half to even to the microsecond like a Python timedelta. */
    private static Duration scale(Duration step, double by) {
        long micros = Math.multiplyExact(step.getSeconds(), 1_000_000L) + step.getNano() / 1_000;
        return Duration.ofNanos(Math.multiplyExact((long) Math.rint(micros * by), 1_000L));
    }

    private static void checkReviewable(Card card, Rating rating, Instant reviewedAt) {
        if (card == null || rating == null || reviewedAt == null) {
            throw new IllegalArgumentException("card, rating and reviewedAt must not be null");
        }
        if (card.state() == null) {
            throw new IllegalArgumentException("card state must not be null");
        }
        if (card.lastReview() != null && reviewedAt.isBefore(card.lastReview())) {
            throw new IllegalArgumentException(
                    "reviewedAt " + reviewedAt + " is before the card's last review at " + card.lastReview());
        }
        if (card.state() != State.REVIEW && (card.step() == null || card.step() < 0)) {
            throw new IllegalArgumentException("a " + card.state().code() + " card needs a step of 0 or more");
        }
        if (card.state() != State.LEARNING && (card.stability() == null || card.difficulty() == null)) {
            throw new IllegalArgumentException("a " + card.state().code() + " card needs a stability and a difficulty");
        }
        if (card.stability() != null && !(card.stability() > 0 && Double.isFinite(card.stability()))) {
            throw new IllegalArgumentException("stability must be a positive number, got " + card.stability());
        }
        if (card.difficulty() != null && !Double.isFinite(card.difficulty())) {
            throw new IllegalArgumentException("difficulty must be a finite number, got " + card.difficulty());
        }
    }
}
