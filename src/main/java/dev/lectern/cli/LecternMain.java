package dev.lectern.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * One binary, two uses: with no arguments it is the service (runs until stopped); with arguments it runs an operator
 * command and exits with its status, e.g. {@code java -jar quarkus-run.jar index rebuild}.
 */
@QuarkusMain
public class LecternMain implements QuarkusApplication {

    private final CommandLine.IFactory factory;

    @Inject
    public LecternMain(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return new CommandLine(LecternCommand.class, factory).execute(args);
    }
}
