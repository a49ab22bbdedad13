package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.StartupEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit decision of {@link MigrateAndExit}; {@code MigrateAndExitIT} runs the packaged application for real. */
class MigrateAndExitTest {

    private final List<Integer> exits = new ArrayList<>();

    @Test
    void exitsWithZeroOnceStartedWhenAskedToMigrateAndExit() {
        new MigrateAndExit(true, true, exits::add).onStart(new StartupEvent());
        assertThat(exits).containsExactly(0);
    }

    @Test
    void keepsRunningByDefault() {
        new MigrateAndExit(false, true, exits::add).onStart(new StartupEvent());
        new MigrateAndExit(false, false, exits::add).onStart(new StartupEvent());
        assertThat(exits).isEmpty();
    }

    @Test
    void failsWhenAskedToExitAfterMigratingWithMigrationsOff() {
        new MigrateAndExit(true, false, exits::add).onStart(new StartupEvent());
        assertThat(exits).containsExactly(MigrateAndExit.MISCONFIGURED);
    }
}
