package dev.lectern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator command runs the rebuild in the foreground, shows progress and exits with its status. */
@QuarkusMainTest
@TestProfile(IndexCommandTest.WithSampleBook.class)
class IndexCommandTest {

    /** The sample book is loaded at start, so a launch has a known book to rebuild. */
    public static class WithSampleBook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lectern.sample-book.load", "true");
        }
    }

    @Test
    void rebuildingOneBookRunsToTheEndWithAProgressBar(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("index", "rebuild", "--book", "ros2-fundamentals");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("index rebuild ").contains("succeeded: 5 of 5 chapters");
        assertThat(result.getOutput()).containsPattern("\\[#+\\] 100% 5/5 chapters");

        LaunchResult unknown = launcher.launch("index", "rebuild", "--book", "no-such-book");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.getErrorOutput()).contains("book 'no-such-book' not found");
    }
}
