package dev.lectern.catalogue.importing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lectern.sample-book.*}: the sample book of dev mode. */
@ConfigMapping(prefix = "lectern.sample-book")
public interface SampleBookConfig {

    /** Load the sample book at start ({@code LECTERN_SAMPLE_BOOK_LOAD}; on in dev mode, off otherwise). */
    @WithDefault("false")
    boolean load();
}
