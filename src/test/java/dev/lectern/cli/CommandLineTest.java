package dev.lectern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parsing and help of the operator commands, without starting the application. */
class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                // The rebuild's collaborators are beans; parsing and help never reach them.
                return type == IndexCommand.Rebuild.class
                        ? type.cast(new IndexCommand.Rebuild(null, null))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        return new CommandLine(LecternCommand.class, factory)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void helpListsTheCommandsAndOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("index");
        assertThat(run("index", "rebuild", "--help")).isZero();
        assertThat(out.toString()).contains("--reembed").contains("--recreate").contains("--book=SLUG");
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        assertThat(run("index", "rebuild", "--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }
}
