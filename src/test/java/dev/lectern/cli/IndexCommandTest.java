package dev.lectern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The operator command runs the rebuild in the foreground, shows progress and exits with its status. */
@QuarkusMainTest
class IndexCommandTest {

    @Test
    @Launch({"index", "rebuild"})
    void rebuildRunsToTheEndWithAProgressBar(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("index rebuild ").contains("succeeded: ").contains(" chapters");
        assertThat(result.getOutput()).containsPattern("\\[#+\\] 100% \\d+/\\d+ chapters");
    }

    @Test
    @Launch(value = {"index", "rebuild", "--no-such-option"}, exitCode = 2)
    void unknownOptionsAreUsageErrors(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    @Launch({"--help"})
    void helpListsTheCommands(LaunchResult result) {
        assertThat(result.getOutput()).contains("index");
    }
}
