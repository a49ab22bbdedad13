package dev.lectern.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The local test database (the one the test profile uses) and direct JDBC access to it, bypassing the application. */
public final class TestDatabase {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;

    private TestDatabase() {}

    /** {@code LECTERN_DATABASE_LOCAL_NAME} when set (parallel work trees each use their own), else {@code lectern_test}. */
    public static String name() {
        String name = System.getProperty("lectern.database.local-name", System.getenv("LECTERN_DATABASE_LOCAL_NAME"));
        return name == null || name.isBlank() ? "lectern_test" : name;
    }

    /** A direct connection as the superuser, for assertions and for terminating backends. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name(), "postgres", "");
    }
}
