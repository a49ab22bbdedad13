package dev.lectern.progress.review;

import dev.lectern.progress.review.FsrsOptimizer.Metrics;
import dev.lectern.progress.review.FsrsOptimizer.Result;
import dev.lectern.progress.review.FsrsOptimizer.Review;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The fitter's before/after figures on synthetic learners, printed as a Markdown table (not a timed test; it runs only
 * when asked): {@code ./mvnw -B -q test -Dtest=FsrsFitBench -Dlectern.bench.fsrs=true}, output in
 * {@code target/surefire-reports/dev.lectern.progress.review.FsrsFitBench-output.txt}.
 */
@EnabledIfSystemProperty(named = "lectern.bench.fsrs", matches = "true")
class FsrsFitBench {

    /** A learner whose memory follows weights, scheduled with schedulerWeights; reviews counts the training part. */
    private record Learner(String name, double[] weights, double[] schedulerWeights, int reviews, long seed) {}

    @Test
    void printsBeforeAndAfterOnHeldOutReviews() {
        double[] retrained = Fsrs.retrainedParameters();
        double[] perturbed = SyntheticLearner.perturbed(Fsrs.defaultParameters(), 0.15, 5);
        double[] lecternDefaults = Fsrs.defaultParameters();
        List<Learner> learners = new java.util.ArrayList<>();
        int[] sizes = {500, 2_000, 10_000};
        for (int i = 0; i < sizes.length; i++) {
            learners.add(new Learner("retrained, own schedule", retrained, retrained, sizes[i], 11 + i));
            learners.add(new Learner("retrained, default schedule", retrained, lecternDefaults, sizes[i], 21 + i));
            learners.add(new Learner("perturbed, default schedule", perturbed, lecternDefaults, sizes[i], 31 + i));
        }
        FsrsOptimizer optimizer =
                new FsrsOptimizer(FsrsOptimizer.Config.defaults().withMinimumReviews(300));
        // warm the JIT so the first timed fit is not mostly interpretation
        optimizer.fit(SyntheticLearner.history(Fsrs.retrainedParameters(), 3_000, 99), null, null);
        StringBuilder table = new StringBuilder();
        table.append("| learner (true weights) | reviews (train / held-out predictions) | result | log-loss defaults → "
                + "fitted → true | RMSE(bins) defaults → fitted → true | fit time |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (Learner l : learners) {
            // about one card in five is held out, so the log is a quarter longer than the training part
            List<List<Review>> cards =
                    SyntheticLearner.history(l.weights(), l.schedulerWeights(), l.reviews() * 5 / 4, l.seed());
            List<List<List<Review>>> split = SyntheticLearner.splitByCard(cards, l.seed());
            long t0 = System.nanoTime();
            Result r = optimizer.fit(split.get(0), null, null);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Metrics defaults = FsrsOptimizer.evaluate(Fsrs.defaultParameters(), split.get(1));
            Metrics fitted = FsrsOptimizer.evaluate(r.weights(), split.get(1));
            Metrics truth = FsrsOptimizer.evaluate(l.weights(), split.get(1));
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %d (%d / %d) | %s | %.4f → %.4f → %.4f | %.4f → %.4f → %.4f | %d ms |%n",
                    l.name(),
                    l.reviews(),
                    r.reviews(),
                    fitted.predictions(),
                    r.kind(),
                    defaults.logLoss(),
                    fitted.logLoss(),
                    truth.logLoss(),
                    defaults.rmseBins(),
                    fitted.rmseBins(),
                    truth.rmseBins(),
                    millis));
        }
        System.out.println(table);
        System.out.println(averagedOverSeeds(optimizer, retrained, perturbed, lecternDefaults));
    }

    /** Single held-out comparisons are noisy at small sizes: the mean gain over 12 seeds per scenario and size. */
    private static String averagedOverSeeds(
            FsrsOptimizer optimizer, double[] retrained, double[] perturbed, double[] lecternDefaults) {
        StringBuilder table = new StringBuilder();
        table.append(
                "| learner | reviews | mean Δ log-loss fitted (true) vs defaults | fitted ≤ defaults | mean Δ RMSE(bins)"
                        + " fitted (true) vs defaults | fitted ≤ defaults |\n|---|---|---|---|---|---|\n");
        int seeds = 12;
        for (int size : new int[] {500, 2_000, 10_000}) {
            for (String scenario :
                    List.of("retrained, own schedule", "retrained, default schedule", "perturbed, default schedule")) {
                double[] weights = scenario.startsWith("retrained") ? retrained : perturbed;
                double[] scheduler = scenario.endsWith("own schedule") ? weights : lecternDefaults;
                double loss = 0;
                double lossTrue = 0;
                double rmse = 0;
                double rmseTrue = 0;
                int lossWins = 0;
                int rmseWins = 0;
                for (long seed = 100; seed < 100 + seeds; seed++) {
                    List<List<List<Review>>> split = SyntheticLearner.splitByCard(
                            SyntheticLearner.history(weights, scheduler, size * 5 / 4, seed), seed);
                    Result r = optimizer.fit(split.get(0), null, null);
                    Metrics d = FsrsOptimizer.evaluate(lecternDefaults, split.get(1));
                    Metrics f = FsrsOptimizer.evaluate(r.weights(), split.get(1));
                    Metrics t = FsrsOptimizer.evaluate(weights, split.get(1));
                    loss += f.logLoss() - d.logLoss();
                    lossTrue += t.logLoss() - d.logLoss();
                    rmse += f.rmseBins() - d.rmseBins();
                    rmseTrue += t.rmseBins() - d.rmseBins();
                    lossWins += f.logLoss() <= d.logLoss() ? 1 : 0;
                    rmseWins += f.rmseBins() <= d.rmseBins() ? 1 : 0;
                }
                table.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %+.4f (%+.4f) | %d/%d | %+.4f (%+.4f) | %d/%d |%n",
                        scenario,
                        size,
                        loss / seeds,
                        lossTrue / seeds,
                        lossWins,
                        seeds,
                        rmse / seeds,
                        rmseTrue / seeds,
                        rmseWins,
                        seeds));
            }
        }
        return table.toString();
    }
}
