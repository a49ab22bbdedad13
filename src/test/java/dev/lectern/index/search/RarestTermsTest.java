package dev.lectern.index.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lectern.index.search.FullTextStore.TermStatistics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a question's terms select passages in full-text search's OR step, and how much each weighs: no database. */
class RarestTermsTest {

    private final TermStatistics stats =
            new TermStatistics(Map.of("node", 30_000.0, "topic", 12_000.0, "talk", 900.0, "publish", 400.0), 60_000, 1);

    @Test
    void keepsTheRarestTermsWhoseMatchesFitTheBudget() {
        String[] terms = {"node", "talk", "topic", "publish"};
        assertThat(FullTextStore.rarest(terms, stats, 2_000)).containsExactly("publish", "talk");
        assertThat(FullTextStore.rarest(terms, stats, 1_300)).containsExactly("publish", "talk");
        assertThat(FullTextStore.rarest(terms, stats, 1_299)).containsExactly("publish");
        assertThat(FullTextStore.rarest(terms, stats, 1e9)).containsExactly("publish", "talk", "topic", "node");
    }

    @Test
    void alwaysKeepsTheRarestEvenOverTheBudget() {
        assertThat(FullTextStore.rarest(new String[] {"node", "topic"}, stats, 100))
                .containsExactly("topic");
    }

    @Test
    void termsWithoutStatisticsAreTheRarestAndTiesGoByTheTerm() {
        assertThat(FullTextStore.rarest(new String[] {"node", "zeta", "alpha", "alpha"}, stats, 0))
                .containsExactly("alpha", "zeta");
        assertThat(FullTextStore.rarest(new String[] {"node", "topic"}, TermStatistics.NONE, 0))
                .containsExactly("node", "topic");
    }

    @Test
    void noTermsNoMatch() {
        assertThat(FullTextStore.rarest(new String[0], stats, 2_000)).isEmpty();
        assertThat(FullTextStore.rarest(null, stats, 2_000)).isEmpty();
    }

    @Test
    void rarerTermsWeighMoreAsInBm25() {
        assertThat(stats.weight("publish")).isCloseTo(Math.log(1 + (60_000 - 400 + 0.5) / 400.5), within(1e-12));
        assertThat(stats.weight("node")).isCloseTo(Math.log(1 + 30_000.5 / 30_000.5), within(1e-12));
        assertThat(stats.weights(new String[] {"publish", "talk", "topic", "node"}))
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void aTermOutsideTheStatisticsWeighsAsTheLeastCommonListedOneAndNoStatisticsMeansEvenWeights() {
        assertThat(stats.weight("zeta")).isEqualTo(stats.weight("publish"));
        assertThat(TermStatistics.NONE.weights(new String[] {"node", "zeta"})).containsExactly(1.0, 1.0);
        assertThat(stats.weights(null)).isEmpty();
    }
}
