package dev.lectern.cli;

import java.util.Locale;

/** A one-line terminal progress bar: {@code [#########...........]  45% 18/40 chapters  3.2/s  ETA 7s}. */
final class ProgressBar {

    static final int WIDTH = 30;

    private ProgressBar() {}

    static String render(int done, int total, Double rate, Long etaSeconds) {
        int filled = total <= 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
        int percent = total <= 0 ? 100 : (int) (100L * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%% %d/%d chapters", percent, done, total)
                + (rate == null ? "" : String.format(Locale.ROOT, "  %.1f/s", rate))
                + (etaSeconds == null ? "" : "  ETA " + etaSeconds + "s");
    }
}
