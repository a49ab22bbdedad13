package dev.lectern.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.IntConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns the application into a one-shot migration run: with {@code lectern.migrate-and-exit=true}
 * ({@code LECTERN_MIGRATE_AND_EXIT}) it exits with status 0 as soon as it has started (status 2 if migrate-at-start is
 * off, since then nothing was migrated).
 *
 * <p>Flyway's migrate-at-start runs during runtime initialisation, before {@link StartupEvent} is fired, and a failed
 * migration aborts start-up with a non-zero status; so reaching this observer means the schema is migrated. The
 * Kubernetes migration Job sets {@code LECTERN_MIGRATE_AT_START=true} and {@code LECTERN_MIGRATE_AND_EXIT=true} against
 * the direct (unpooled) endpoint, while the app pods run with migrate-at-start off.
 *
 * <p>Why not Quarkus' own {@code quarkus.init-and-exit}, which runs Flyway and exits before serving: on Quarkus 3.33.2 it
 * does not work with a {@code @QuarkusMain} ({@code dev.lectern.cli.LecternMain}, which makes the one binary also the
 * operator CLI). It migrates, stops the container, then looks the main bean up in the stopped container and exits with
 * status 1 ("No CDI container is available") after a five-second wait, which would fail every migration Job.
 * {@code MigrateAndExitIT} keeps checking that, so this class can go once an upgrade fixes it.
 */
@ApplicationScoped
public class MigrateAndExit {

    /** Exit status when asked to exit after migrating while migrate-at-start is off. */
    static final int MISCONFIGURED = 2;

    private static final Logger LOG = Logger.getLogger(MigrateAndExit.class);

    private final boolean enabled;
    private final boolean migrateAtStart;
    private final IntConsumer exit;

    @Inject
    public MigrateAndExit(
            @ConfigProperty(name = "lectern.migrate-and-exit", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start", defaultValue = "false") boolean migrateAtStart) {
        this(enabled, migrateAtStart, Quarkus::asyncExit);
    }

    MigrateAndExit(boolean enabled, boolean migrateAtStart, IntConsumer exit) {
        this.enabled = enabled;
        this.migrateAtStart = migrateAtStart;
        this.exit = exit;
    }

    // Before any other start-up observer (the sample-book loader, schedulers): a migration run should do nothing else.
    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (!enabled) {
            return;
        }
        if (migrateAtStart) {
            LOG.info("migrations applied; exiting because lectern.migrate-and-exit is true");
            exit.accept(0);
        } else {
            // A misconfigured migration Job must fail visibly rather than report a migration that never ran.
            LOG.error(
                    "lectern.migrate-and-exit is true but quarkus.flyway.migrate-at-start is false: nothing was migrated");
            exit.accept(MISCONFIGURED);
        }
    }
}
