package dev.lectern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsShareDoneRateAndEta() {
        assertThat(ProgressBar.render(10, 40, 2.5, 12L))
                .isEqualTo("[#######.......................]  25% 10/40 chapters  2.5/s  ETA 12s");
    }

    @Test
    void emptyWorkIsComplete() {
        assertThat(ProgressBar.render(0, 0, null, null)).isEqualTo("[" + "#".repeat(30) + "] 100% 0/0 chapters");
    }

    @Test
    void neverOverflows() {
        assertThat(ProgressBar.render(50, 40, null, null)).startsWith("[" + "#".repeat(30) + "] 100%");
    }
}
