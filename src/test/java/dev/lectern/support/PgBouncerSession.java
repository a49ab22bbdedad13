package dev.lectern.support;

import dev.lectern.platform.DatabaseConfigSourceFactory;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs a whole test JVM through PgBouncer when {@code lectern.test.pgbouncer=true} (the {@code through-pgbouncer}
 * surefire execution sets it): starts a {@link PgBouncer} before any test and points {@code DATABASE_URL} at it
 * (TLS required, transaction pooling) and {@code DATABASE_DIRECT_URL} at PostgreSQL for Flyway, exactly as a Neon
 * deployment is configured. Every {@code @QuarkusTest} of the JVM then talks to the database through the pooler.
 *
 * <p>A JUnit launcher session listener rather than a Quarkus test resource, because the URLs must be in place before
 * the first application starts and stay the same for all of them; system properties are what
 * {@code DatabaseConfigSourceFactory} reads. Registered in META-INF/services; inert without the property.
 */
public class PgBouncerSession implements LauncherSessionListener {

    public static final String ENABLED = "lectern.test.pgbouncer";
    public static final String PORT = "lectern.test.pgbouncer.port";

    private PgBouncer bouncer;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean(ENABLED) || bouncer != null) {
            return;
        }
        String database = TestDatabase.name();
        DatabaseConfigSourceFactory.createIfAbsent(database);
        bouncer = PgBouncer.start(TestDatabase.HOST, TestDatabase.PORT);
        Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close, "pgbouncer-stop"));
        System.setProperty("DATABASE_URL", bouncer.databaseUrl(database));
        System.setProperty(
                "DATABASE_DIRECT_URL",
                "postgres://postgres@" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + database);
        System.setProperty(PORT, Integer.toString(bouncer.port()));
        System.out.println("[lectern] tests run through PgBouncer on 127.0.0.1:" + bouncer.port()
                + " (transaction pooling, TLS required) to database " + database);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (bouncer != null) {
            bouncer.close();
            bouncer = null;
        }
    }
}
