package dev.lectern.platform;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * Turns {@code DATABASE_URL} (pooled endpoint, for the reactive client) and {@code DATABASE_DIRECT_URL}
 * (unpooled endpoint, for Flyway over JDBC) into Quarkus datasource settings.
 *
 * <p>With neither set, the dev and test profiles get a local PostgreSQL (localhost:5432, user postgres),
 * each profile its own database, created here if absent. {@code LECTERN_DATABASE_LOCAL_NAME} names another local
 * database (parallel test runs from several work trees each use their own). Creation happens in the config source because
 * Flyway's migrate-at-start runs before any CDI start-up observer could do it.
 *
 * <p>Ordinal 275 sits above application.properties (250) and below environment variables (300), so an
 * explicit {@code QUARKUS_DATASOURCE_*} variable still wins.
 */
public class DatabaseConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(DatabaseConfigSourceFactory.class);
    private static final int ORDINAL = 275;
    private static final Map<String, String> LOCAL_DATABASES = Map.of("dev", "lectern_dev", "test", "lectern_test");

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> props = new LinkedHashMap<>();
        String pooled = value(context, "DATABASE_URL");
        String direct = value(context, "DATABASE_DIRECT_URL");
        if (pooled != null) {
            DatabaseUrl url = DatabaseUrl.parse(pooled);
            props.putAll(url.quarkusProperties(transactionPooler(context, url)));
        } else {
            String database = localDatabase(context.getProfiles());
            String override = value(context, "lectern.database.local-name");
            if (database != null && override != null) {
                if (!override.matches("[a-z_][a-z0-9_]{0,62}")) {
                    throw new IllegalArgumentException(
                            "lectern.database.local-name must be a plain lower-case identifier");
                }
                database = override;
            }
            if (database != null) {
                DatabaseUrl local = DatabaseUrl.parse("postgres://postgres@localhost:5432/" + database);
                props.putAll(local.quarkusProperties());
                if (!"false".equals(value(context, "lectern.database.create-if-absent"))) {
                    createIfAbsent(database);
                }
            }
        }
        if (direct != null) {
            DatabaseUrl url = DatabaseUrl.parse(direct);
            props.put("quarkus.datasource.jdbc.url", url.jdbcUrl());
            if (!url.user().isEmpty() && !url.password().isEmpty()) {
                // Its own credentials (a migration role, say): Flyway opens its own connection with them.
                props.put("quarkus.flyway.username", url.user());
                props.put("quarkus.flyway.password", url.password());
            }
        }
        return List.of(new MapBackedConfigSource("lectern-database-url", props, ORDINAL) {});
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /**
     * {@code lectern.database.pgbouncer} ({@code LECTERN_DATABASE_PGBOUNCER}): {@code true} or {@code false} forces the
     * pooler settings on or off for a pooler the URL does not reveal (a self-hosted PgBouncer); {@code auto}, the default,
     * leaves it to {@link DatabaseUrl#behindTransactionPooler()}.
     */
    private static boolean transactionPooler(ConfigSourceContext context, DatabaseUrl url) {
        String mode = value(context, "lectern.database.pgbouncer");
        if (mode == null || mode.equalsIgnoreCase("auto")) {
            return url.behindTransactionPooler();
        }
        if (mode.equalsIgnoreCase("true") || mode.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(mode);
        }
        throw new IllegalArgumentException(
                "lectern.database.pgbouncer must be auto, true or false, not '" + mode + "'");
    }

    private static String localDatabase(List<String> profiles) {
        for (String profile : profiles) {
            String database = LOCAL_DATABASES.get(profile);
            if (database != null) {
                return database;
            }
        }
        return null;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
    }

    /** Creates a database on the local server (localhost:5432, user postgres) unless it exists; the test harness uses it too. */
    public static void createIfAbsent(String database) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database);
                LOG.infof("created local database %s", database);
            }
        } catch (SQLException e) {
            // 42P04: a concurrent start created it first. Anything else surfaces when the datasource connects.
            if (!"42P04".equals(e.getSQLState())) {
                LOG.warnf("could not ensure local database %s exists: %s", database, e.getMessage());
            }
        }
    }
}
