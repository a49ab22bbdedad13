package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.support.PgBouncer;
import dev.lectern.support.PgBouncerSession;
import dev.lectern.support.ReadingFixture;
import dev.lectern.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the {@code through-pgbouncer} surefire execution, where every test of the suite talks to the database
 * through a local PgBouncer (see {@code PgBouncerSession}). The rest of the suite passing there proves the application
 * works behind a transaction-mode pooler; this class proves the setting is what it claims: the application really goes
 * through PgBouncer, over TLS, in transaction mode, with its client connections multiplexed onto fewer server
 * connections, with the reactive client settings a pooler needs, and with Flyway on the direct URL.
 */
@QuarkusTest
@Tag("pgbouncer")
class PgBouncerTest {

    private static final String DATABASE = TestDatabase.name();

    @Test
    void theApplicationConnectsThroughPgBouncerAndFlywayDirectly() {
        String port = System.getProperty(PgBouncerSession.PORT);
        assertThat(port)
                .as("PgBouncer started by PgBouncerSession (lectern.test.pgbouncer=true)")
                .isNotNull();

        assertThat(config("quarkus.datasource.reactive.url"))
                .isEqualTo("postgresql://127.0.0.1:" + port + "/" + DATABASE);
        assertThat(config("quarkus.datasource.username")).isEqualTo(PgBouncer.USER);
        assertThat(config("quarkus.datasource.jdbc.url")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
    }

    @Test
    void theReactiveClientUsesThePoolerSettings() {
        assertThat(config("quarkus.datasource.reactive.cache-prepared-statements"))
                .isEqualTo("false");
        assertThat(config("quarkus.datasource.reactive.postgresql.use-layer7-proxy"))
                .isEqualTo("true");
        assertThat(config("quarkus.datasource.reactive.postgresql.pipelining-limit"))
                .isEqualTo("1");
        assertThat(config("quarkus.datasource.reactive.postgresql.ssl-mode")).isEqualTo("require");
    }

    @Test
    void concurrentRequestsShareFewServerConnectionsOverTls() throws Exception {
        ReadingFixture reading = ReadingFixture.create();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                boolean write = i % 2 == 1;
                statuses.add(clients.submit(() -> write
                        ? reading.recordProgress(UUID.randomUUID(), 50).statusCode()
                        : reading.readChapter().statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        List<Map<String, String>> clientRows = admin("SHOW CLIENTS");
        List<Map<String, String>> serverRows = admin("SHOW SERVERS");
        Map<String, String> pool = admin("SHOW POOLS").stream().findFirst().orElseThrow();

        assertThat(pool.get("pool_mode")).isEqualTo("transaction");
        assertThat(clientRows)
                .as("the application's connections to PgBouncer")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("tls")).as("client TLS").startsWith("TLSv1."));
        assertThat(clientRows.size())
                .as("client connections outnumber server connections: transaction pooling multiplexes")
                .isGreaterThan(serverRows.size());
        assertThat(serverRows.size()).isLessThanOrEqualTo(PgBouncer.SERVER_POOL_SIZE);
    }

    @Test
    void pgBouncerRefusesClientsWithoutTls() {
        String port = System.getProperty(PgBouncerSession.PORT);
        assertThatThrownBy(() -> DriverManager.getConnection(
                                "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?sslmode=disable",
                                PgBouncer.USER,
                                PgBouncer.PASSWORD)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL required");
    }

    /**
     * Rows of a PgBouncer admin console command about the test database. The console speaks only the simple query
     * protocol and rejects pgjdbc's SET at connect, so it is read with the Vert.x client (which needs neither).
     */
    private static List<Map<String, String>> admin(String command) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            PgConnectOptions options = new PgConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(Integer.parseInt(System.getProperty(PgBouncerSession.PORT)))
                    .setDatabase("pgbouncer")
                    .setUser(PgBouncer.USER)
                    .setPassword(PgBouncer.PASSWORD)
                    .setSslMode(SslMode.REQUIRE);
            options.setTrustAll(true);
            PgConnection connection = PgConnection.connect(vertx, options)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            try {
                RowSet<Row> result = connection
                        .query(command)
                        .execute()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                List<Map<String, String>> rows = new ArrayList<>();
                for (Row row : result) {
                    Map<String, String> values = new HashMap<>();
                    for (int c = 0; c < row.size(); c++) {
                        values.put(
                                row.getColumnName(c),
                                row.getValue(c) == null ? null : row.getValue(c).toString());
                    }
                    if (DATABASE.equals(values.get("database"))) {
                        rows.add(values);
                    }
                }
                return rows;
            } finally {
                connection.close();
            }
        } finally {
            vertx.close();
        }
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null);
    }
}
