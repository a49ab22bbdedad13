package dev.lectern.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A throw-away PostgreSQL database for schema tests that must not touch {@code lectern_test} or each other.
 *
 * <p>Created from {@code template0} (pristine, and never "being accessed by other users", so concurrent
 * creations do not collide), migrated with plain Flyway from {@code classpath:db/migration}, and dropped
 * {@code WITH (FORCE)} on {@link #close()}. The server defaults to localhost:5432, user postgres, no
 * password; the system properties {@code lectern.scratch.server} (a JDBC URL without database, e.g.
 * {@code jdbc:postgresql://localhost:5432/}), {@code lectern.scratch.user} and {@code lectern.scratch.password}
 * override them.
 */
final class ScratchDatabase implements AutoCloseable {

    static final String MIGRATIONS = "db/migration";
    static final String UNDO = "db/undo";

    private static final String SERVER =
            System.getProperty("lectern.scratch.server", "jdbc:postgresql://localhost:5432/");
    private static final String USER = System.getProperty("lectern.scratch.user", "postgres");
    private static final String PASSWORD = System.getProperty("lectern.scratch.password", "");

    private final String name;
    private boolean dropped;

    private ScratchDatabase(String name) {
        this.name = name;
    }

    /** Creates an empty database named {@code lectern_<purpose>_<random>}. */
    static ScratchDatabase create(String purpose) throws SQLException {
        String name = "lectern_" + purpose + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0");
        }
        return new ScratchDatabase(name);
    }

    String name() {
        return name;
    }

    String jdbcUrl() {
        return SERVER + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** Applies every pending migration with Flyway's defaults, exactly as the application's Flyway would. */
    MigrateResult migrate() {
        return flywayConfig().load().migrate();
    }

    /** Flyway on this database with the application's location, {@code classpath:db/migration}, and no clean. */
    FluentConfiguration flywayConfig() {
        return Flyway.configure()
                .dataSource(jdbcUrl(), USER, PASSWORD)
                .locations("classpath:" + MIGRATIONS)
                .cleanDisabled(true);
    }

    /** Tables (ordinary and partitioned) of the public schema, Flyway's history table excluded, sorted. */
    List<String> publicTables() throws SQLException {
        return strings("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'flyway_schema_history'
                ORDER BY 1""");
    }

    /** Runs a query and returns its first column as strings, in the query's order. */
    List<String> strings(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Override
    public void close() throws SQLException {
        if (dropped) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        dropped = true;
    }

    /**
     * File names (not paths) directly inside a classpath directory, across every classpath root that has it
     * ({@code target/classes} in a build; a jar works too). Empty if no root has the directory.
     */
    static List<String> classpathFiles(String directory) {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = ScratchDatabase.class.getClassLoader().getResources(directory);
            for (URL url : Collections.list(roots)) {
                try (Stream<Path> files = Files.list(toPath(url.toURI()))) {
                    files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString())
                            .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list classpath:" + directory, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list classpath:" + directory, e);
        }
        Collections.sort(names);
        return names;
    }

    private static Path toPath(URI uri) throws IOException {
        if ("jar".equals(uri.getScheme())) {
            FileSystem fs;
            try {
                fs = FileSystems.newFileSystem(uri, new HashMap<String, Object>(Map.of()));
            } catch (FileSystemAlreadyExistsException e) {
                fs = FileSystems.getFileSystem(uri);
            }
            return fs.provider().getPath(uri);
        }
        return Path.of(uri);
    }

    /** The text of a classpath resource, UTF-8. */
    static String classpathText(String resource) {
        try (var in = ScratchDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource not found: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + resource, e);
        }
    }
}
