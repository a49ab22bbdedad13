package dev.lectern.cli;

import picocli.CommandLine.Command;

/** Root of the operator commands. */
@Command(
        name = "lectern",
        mixinStandardHelpOptions = true,
        subcommands = IndexCommand.class,
        description = "Lectern operator commands. Without a command, the service runs.")
public class LecternCommand {}
