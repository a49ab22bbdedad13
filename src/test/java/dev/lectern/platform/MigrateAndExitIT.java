package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged application (the fast-jar, or the native executable when {@code native.image.path} points at one)
 * the way the Kubernetes migration Job does, against a fresh scratch database, and checks that it migrates and exits
 * by itself. Run by failsafe after {@code package}.
 */
class MigrateAndExitIT {

    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void theMigrationJobMigratesAnEmptyDatabaseAndExitsWithZero() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("migrate_exit")) {
            Run run = start(db, Map.of("LECTERN_MIGRATE_AT_START", "true", "LECTERN_MIGRATE_AND_EXIT", "true"));

            assertThat(run.exitCode())
                    .as("exit status; output:%n%s", run.output())
                    .isZero();
            assertThat(run.output()).contains("migrations applied; exiting because lectern.migrate-and-exit is true");
            List<String> migrations = ScratchDatabase.classpathFiles(ScratchDatabase.MIGRATIONS);
            assertThat(db.strings("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                    .containsExactly(String.valueOf(migrations.size()));
        }
    }

    @Test
    void theMigrationJobFailsWhenMigrateAtStartIsOff() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("migrate_exit_off")) {
            Run run = start(db, Map.of("LECTERN_MIGRATE_AT_START", "false", "LECTERN_MIGRATE_AND_EXIT", "true"));

            assertThat(run.exitCode())
                    .as("exit status; output:%n%s", run.output())
                    .isEqualTo(MigrateAndExit.MISCONFIGURED);
            assertThat(db.publicTables()).isEmpty();
            assertThat(db.strings("SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'"))
                    .containsExactly("0");
        }
    }

    /**
     * Canary for why {@link MigrateAndExit} exists: Quarkus' own {@code quarkus.init-and-exit} migrates but, with a
     * {@code @QuarkusMain}, exits with status 1 ("No CDI container is available"). When this fails, an upgrade fixed
     * it: map {@code LECTERN_MIGRATE_AND_EXIT} onto {@code quarkus.init-and-exit} and retire {@link MigrateAndExit}.
     */
    @Test
    void quarkusInitAndExitStillFailsWithOurQuarkusMain() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("init_and_exit")) {
            Run run = start(db, Map.of("LECTERN_MIGRATE_AT_START", "true", "QUARKUS_INIT_AND_EXIT", "true"));

            assertThat(run.exitCode())
                    .as("exit status; output:%n%s", run.output())
                    .isEqualTo(1);
            assertThat(run.output()).contains("No CDI container is available");
        }
    }

    private static Run start(ScratchDatabase db, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
        Path log = Files.createTempFile("lectern-migrate-and-exit", ".log");
        builder.redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("DATABASE_URL", "postgres://postgres@localhost:5432/" + db.name());
        environment.remove("DATABASE_DIRECT_URL");
        environment.put("PORT", "0");
        environment.putAll(env);
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exited)
                    .as("the application exited within %d s; output so far:%n%s", TIMEOUT_SECONDS, output)
                    .isTrue();
            return new Run(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static List<String> command() {
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            return List.of(nativeImage);
        }
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged application (run after package)").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // JBoss Threads resets thread locals reflectively; JDK 24+ warns without this opening (see jdk.opens in the
        // pom).
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private record Run(int exitCode, String output) {}
}
