package dev.lectern.progress.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lectern.progress.review.Fsrs.Rating;
import dev.lectern.progress.review.FsrsOptimizer.Config;
import dev.lectern.progress.review.FsrsOptimizer.Kind;
import dev.lectern.progress.review.FsrsOptimizer.Metrics;
import dev.lectern.progress.review.FsrsOptimizer.Result;
import dev.lectern.progress.review.FsrsOptimizer.Review;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The FSRS fitter on synthetic learners whose memory follows known weights ({@link SyntheticLearner}). */
class FsrsOptimizerTest {

    private static final FsrsOptimizer OPTIMIZER =
            new FsrsOptimizer(Config.defaults().withMinimumReviews(300));
    /** A learner whose memory differs from the defaults, scheduled (before any fit) with the defaults. */
    private static final double[] LEARNER = SyntheticLearner.perturbed(Fsrs.defaultParameters(), 0.15, 5);

    private static Instant day(double days) {
        return SyntheticLearner.START.plusSeconds((long) (days * 86_400));
    }

    private static void assertAcceptedByTheScheduler(double[] w) {
        assertThat(w).hasSize(21);
        for (int i = 0; i < w.length; i++) {
            assertThat(w[i]).as("w" + i).isFinite().isBetween(Fsrs.lowerBound(i), Fsrs.upperBound(i));
        }
        assertThat(Fsrs.Settings.defaults().withParameters(w).parameters()).containsExactly(w);
    }

    @ParameterizedTest(name = "{0} reviews, seed {1}")
    @CsvSource({"2000, 100", "2000, 101", "2000, 102", "5000, 100", "5000, 101", "5000, 102"})
    void fittedWeightsPredictHeldOutCardsAtLeastAsWellAsTheDefaults(int reviews, long seed) {
        List<List<List<Review>>> split = SyntheticLearner.splitByCard(
                SyntheticLearner.history(LEARNER, Fsrs.defaultParameters(), reviews * 5 / 4, seed), seed);

        Result result = OPTIMIZER.fit(split.get(0), null, null);

        assertThat(result.kind()).isEqualTo(Kind.FITTED);
        assertAcceptedByTheScheduler(result.weights());
        Metrics defaults = FsrsOptimizer.evaluate(Fsrs.defaultParameters(), split.get(1));
        Metrics fitted = FsrsOptimizer.evaluate(result.weights(), split.get(1));
        assertThat(fitted.predictions()).isGreaterThan(100);
        assertThat(fitted.logLoss()).isLessThanOrEqualTo(defaults.logLoss());
        assertThat(fitted.rmseBins()).isLessThanOrEqualTo(defaults.rmseBins());
        // and on the log it was fitted to
        assertThat(result.after().logLoss()).isLessThan(result.before().logLoss());
    }

    @Test
    void initialisationRecoversTheInitialStabilitiesOfALargeLog() {
        double[] truth = Fsrs.retrainedParameters();
        double[] s =
                FsrsOptimizer.initialStabilities(SyntheticLearner.history(truth, 20_000, 12), Fsrs.defaultParameters());
        // AGAIN and HARD first reviews are rare and their stabilities small, so only GOOD and EASY are pinned down
        assertThat(s[2]).isCloseTo(truth[2], within(0.5));
        assertThat(s[3]).isCloseTo(truth[3], within(2.0));
        assertThat(s).isSorted();
    }

    @Test
    void aLogBelowTheMinimumKeepsTheStartingWeightsAndSaysWhy() {
        List<List<Review>> log = SyntheticLearner.history(LEARNER, 299, 1);

        Result result = OPTIMIZER.fit(log, null, null);

        assertThat(result.kind()).isEqualTo(Kind.KEPT);
        assertThat(result.weights()).containsExactly(Fsrs.defaultParameters());
        assertThat(result.reviews()).isEqualTo(299);
        assertThat(result.reason()).contains("299 reviews").contains("at least 300");
        assertThat(result.after()).isEqualTo(result.before());
    }

    @Test
    void theSameLogGivesTheSameWeights() {
        List<List<Review>> log = SyntheticLearner.history(LEARNER, Fsrs.defaultParameters(), 3_000, 7);

        double[] first = OPTIMIZER.fit(log, null, null).weights();
        double[] second =
                new FsrsOptimizer(Config.defaults()).fit(log, null, null).weights();

        assertThat(second).containsExactly(first);
    }

    @Test
    void cardOrderAndReviewOrderInsideACardDoNotMatter() {
        List<List<Review>> log = SyntheticLearner.history(LEARNER, Fsrs.defaultParameters(), 1_500, 8);
        List<List<Review>> shuffled = new ArrayList<>();
        for (List<Review> card : log.reversed()) {
            shuffled.add(card.reversed());
        }

        assertThat(OPTIMIZER.fit(shuffled, null, null).weights())
                .containsExactly(OPTIMIZER.fit(log, null, null).weights());
    }

    @Test
    void progressRisesToOneAndCancellingStopsEarly() {
        List<List<Review>> log = SyntheticLearner.history(LEARNER, Fsrs.defaultParameters(), 5_000, 9);
        List<Double> fractions = new ArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        OPTIMIZER.fit(log, fractions::add, () -> polls.incrementAndGet() < 0);
        assertThat(fractions).isSorted().last().isEqualTo(1.0);
        assertThat(fractions).allSatisfy(f -> assertThat(f).isBetween(0.0, 1.0));
        int pollsOfAFullFit = polls.get();
        assertThat(pollsOfAFullFit).isGreaterThan(20);

        List<Double> cancelled = new ArrayList<>();
        AtomicInteger untilCancel = new AtomicInteger();
        assertThatThrownBy(() -> OPTIMIZER.fit(log, cancelled::add, () -> untilCancel.incrementAndGet() > 5))
                .isInstanceOf(CancellationException.class);
        assertThat(untilCancel.get()).isEqualTo(6);
        assertThat(cancelled).isNotEmpty().allSatisfy(f -> assertThat(f).isLessThan(0.5));
    }

    @Test
    void aLogWithOnlyOneRatingFitsWithoutNaN() {
        List<List<Review>> log = new ArrayList<>();
        for (int c = 0; c < 80; c++) {
            List<Review> card = new ArrayList<>();
            double at = c * 0.37;
            for (int i = 0; i < 6; i++) {
                card.add(new Review(day(at), Rating.GOOD));
                at += 1 + i * 2 + c % 5;
            }
            log.add(card);
        }

        Result result = OPTIMIZER.fit(log, null, null);

        assertAcceptedByTheScheduler(result.weights());
        assertThat(result.before().logLoss()).isFinite();
        assertThat(result.after().logLoss())
                .isFinite()
                .isLessThanOrEqualTo(result.before().logLoss());
        assertThat(result.after().rmseBins()).isFinite();
    }

    @Test
    void aLogOfSameDayReviewsOnlyKeepsTheStartingWeights() {
        List<List<Review>> log = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            log.add(List.of(
                    new Review(day(c), Rating.AGAIN),
                    new Review(day(c + 0.01), Rating.GOOD),
                    new Review(day(c + 0.2), Rating.EASY),
                    new Review(day(c + 0.5), Rating.HARD)));
        }

        Result result = OPTIMIZER.fit(log, null, null);

        assertThat(result.kind()).isEqualTo(Kind.KEPT);
        assertThat(result.weights()).containsExactly(Fsrs.defaultParameters());
        assertThat(result.reason()).contains("0 reviews came a day or more after");
        assertThat(result.before()).isNull();
        assertThat(FsrsOptimizer.evaluate(Fsrs.defaultParameters(), log)).isNull();
    }

    @Test
    void aSingleLongCardFitsWithoutNaN() {
        List<Review> card = new ArrayList<>();
        double at = 0;
        Rating[] cycle = {Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.EASY, Rating.GOOD};
        for (int i = 0; i < 400; i++) {
            card.add(new Review(day(at), cycle[i % cycle.length]));
            at += i % 4 == 0 ? 0.1 : 1 + (i % 9);
        }

        Result result = OPTIMIZER.fit(List.of(card), null, null);

        assertAcceptedByTheScheduler(result.weights());
        assertThat(result.after().logLoss()).isFinite();
        assertThat(result.after().rmseBins()).isFinite();
    }

    @Test
    void aFewPredictableReviewsFitOnlyTheInitialStabilities() {
        List<List<Review>> log = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            Rating first = c % 3 == 0 ? Rating.AGAIN : Rating.GOOD;
            log.add(List.of(
                    new Review(day(c), first),
                    new Review(day(c + 0.01), Rating.GOOD),
                    new Review(day(c + 1 + c % 3), c % 4 == 0 ? Rating.AGAIN : Rating.GOOD)));
        }

        Result result = new FsrsOptimizer(Config.defaults().withMinimumReviews(0)).fit(log, null, null);

        assertThat(result.kind()).isIn(Kind.INITIAL_STABILITIES, Kind.KEPT);
        double[] w = result.weights();
        double[] defaults = Fsrs.defaultParameters();
        for (int i = 4; i < 21; i++) {
            assertThat(w[i]).as("w" + i).isEqualTo(defaults[i]);
        }
        assertAcceptedByTheScheduler(w);
    }

    @Test
    void theClipperKeepsEveryWeightWithinTheSchedulersBounds() {
        double[] low = new double[21];
        double[] high = new double[21];
        java.util.Arrays.fill(low, -1e9);
        java.util.Arrays.fill(high, 1e9);
        for (int steps : new int[] {0, 1, 3}) {
            double[] a = low.clone();
            double[] b = high.clone();
            FsrsOptimizer.clip(a, steps);
            FsrsOptimizer.clip(b, steps);
            assertAcceptedByTheScheduler(a);
            assertAcceptedByTheScheduler(b);
            assertThat(a[19]).isEqualTo(0.01);
        }
        // several relearning steps cap w17 and w18 so a lapse cannot raise stability (reference: 0.5425, 0.0912 stay)
        double[] retrained = Fsrs.retrainedParameters();
        FsrsOptimizer.clip(retrained, 2);
        assertThat(retrained).containsExactly(Fsrs.retrainedParameters());
        double[] big = Fsrs.retrainedParameters();
        big[17] = 2.0;
        big[18] = 2.0;
        FsrsOptimizer.clip(big, 3);
        assertThat(big[17]).isLessThan(2.0).isEqualTo(big[18]);
    }

    @Test
    void initialStabilitiesAreCompletedAsTheReferenceDoes() {
        // the reference's own vectors (fsrs-rs parameter_initialization.rs test_smooth_and_fill), whose defaults are
        // the retrained set
        double[] base = Fsrs.retrainedParameters();
        assertThat(FsrsOptimizer.smoothAndFill(Map.of(1, 0.4, 3, 2.3, 4, 10.9), Map.of(1, 1, 2, 1, 3, 1, 4, 1), base))
                .containsExactly(new double[] {0.4, 1.1227008, 2.3, 10.9}, within(1e-6));
        assertThat(FsrsOptimizer.smoothAndFill(Map.of(2, 0.35), Map.of(2, 1), base))
                .containsExactly(new double[] {0.05738148, 0.35, 0.6242943, 2.2453482}, within(1e-6));
        // out of order: the side with more data wins
        assertThat(FsrsOptimizer.smoothAndFill(
                        Map.of(1, 0.5, 2, 0.3, 3, 2.0, 4, 9.0), Map.of(1, 50, 2, 5, 3, 100, 4, 10), base))
                .containsExactly(0.5, 0.5, 2.0, 9.0);
        assertThat(FsrsOptimizer.smoothAndFill(Map.of(), Map.of(), base)).isNull();
    }

    @Test
    void metricsFollowTheBenchmarksDefinitions() {
        // two cards, one prediction each, both 2 days after a first GOOD: the same bin
        List<List<Review>> log = List.of(
                List.of(new Review(day(0), Rating.GOOD), new Review(day(2), Rating.GOOD)),
                List.of(new Review(day(1), Rating.GOOD), new Review(day(3), Rating.AGAIN)));
        double[] w = Fsrs.defaultParameters();
        double r = Fsrs.forgettingCurve(w, 2, w[2]);

        Metrics m = FsrsOptimizer.evaluate(w, log);

        assertThat(m.predictions()).isEqualTo(2);
        assertThat(m.logLoss()).isCloseTo((-Math.log(r) - Math.log(1 - r)) / 2, within(1e-12));
        assertThat(m.rmseBins()).isCloseTo(Math.abs(r - 0.5), within(1e-12));
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> OPTIMIZER.fit(List.of(List.of(new Review(null, Rating.GOOD))), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIMIZER.fit(List.of(), new double[20], null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Config(-1, 5, 512, 0.04, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(OPTIMIZER.fit(List.of(), null, null).kind()).isEqualTo(Kind.KEPT);
    }
}
