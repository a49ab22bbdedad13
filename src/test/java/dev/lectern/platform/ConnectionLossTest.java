package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.ReadingFixture;
import dev.lectern.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Connections dropped by the server (a Neon compute scaling to zero, {@code pg_terminate_backend}, a restart) are
 * replaced without failing idempotent requests. Clients read a chapter and record progress in a loop while every
 * backend of the test database is terminated, several times; through PgBouncer (the second surefire pass) the
 * terminated backends are PgBouncer's server connections.
 */
@QuarkusTest
class ConnectionLossTest {

    private static final int CLIENTS = 4;
    private static final int ROUNDS = 5;
    /** Between rounds the pool recovers; a request straddling several rounds could exhaust any bounded retry. */
    private static final long ROUND_GAP_MILLIS = 1000;

    @Test
    void noIdempotentRequestFailsAndNoAcknowledgedWriteIsLostWhenEveryBackendIsTerminated() throws Exception {
        ReadingFixture reading = ReadingFixture.create();
        reading.recordProgress(UUID.randomUUID(), 1).then().statusCode(200); // caches the learner's key
        double retriesBefore = counter("lectern_database_retries_total");

        List<String> failures = new CopyOnWriteArrayList<>();
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger requests = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            boolean writer = c % 2 == 1;
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    UUID eventId = UUID.randomUUID();
                    Response response = writer ? reading.recordProgress(eventId, 10) : reading.readChapter();
                    requests.incrementAndGet();
                    if (response.statusCode() != 200) {
                        failures.add((writer ? "PUT progress " : "GET chapter ") + response.statusCode() + " "
                                + response.asString());
                    } else if (writer) {
                        acknowledged.add(eventId);
                    }
                }
            }));
        }

        int terminated = 0;
        try (Connection db = TestDatabase.connect()) {
            for (int round = 0; round < ROUNDS; round++) {
                Thread.sleep(ROUND_GAP_MILLIS);
                terminated += terminateEveryBackend(db);
            }
            Thread.sleep(ROUND_GAP_MILLIS);
        } finally {
            running.set(false);
            clients.shutdown();
        }
        for (Future<?> loop : loops) {
            loop.get(60, TimeUnit.SECONDS);
        }

        assertThat(terminated).as("backends terminated over %d rounds", ROUNDS).isGreaterThanOrEqualTo(ROUNDS);
        assertThat(failures)
                .as("failed idempotent requests out of %d", requests.get())
                .isEmpty();
        assertThat(acknowledged).isNotEmpty();
        assertThat(counter("lectern_database_retries_total"))
                .as("requests that met a dead connection and were retried")
                .isGreaterThan(retriesBefore);
        assertEveryAcknowledgedEventIsStoredOnce(reading, acknowledged);
        awaitReadiness("UP");
    }

    private static int terminateEveryBackend(Connection db) throws SQLException {
        int terminated = 0;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()""")) {
            while (rs.next()) {
                terminated += rs.getBoolean(1) ? 1 : 0;
            }
        }
        return terminated;
    }

    /** Each acknowledged event is in the database, and the time it carried was added exactly once. */
    private static void assertEveryAcknowledgedEventIsStoredOnce(ReadingFixture reading, Set<UUID> acknowledged)
            throws SQLException {
        try (Connection db = TestDatabase.connect()) {
            Array ids = db.createArrayOf("uuid", acknowledged.toArray());
            try (PreparedStatement st = db.prepareStatement(
                    "SELECT count(*) FROM progress_events WHERE user_id = ? AND event_id = ANY (?)")) {
                st.setObject(1, reading.learner().id());
                st.setArray(2, ids);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("acknowledged events stored").isEqualTo(acknowledged.size());
                }
            }
            try (PreparedStatement st = db.prepareStatement(
                    "SELECT time_spent_seconds, (SELECT count(*) FROM progress_events WHERE user_id = p.user_id) "
                            + "FROM reading_progress p WHERE user_id = ? AND chapter_id = ?")) {
                st.setObject(1, reading.learner().id());
                st.setObject(2, reading.chapterId());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    // One second per stored event (the warm-up included): a retried request never adds its time twice.
                    assertThat(rs.getLong(1)).as("time spent").isEqualTo(rs.getLong(2));
                    assertThat(rs.getLong(2))
                            .as("stored events: the acknowledged ones and the warm-up")
                            .isEqualTo(acknowledged.size() + 1L);
                }
            }
        }
    }

    static void awaitReadiness(String status) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().when().get("/q/health/ready").then().extract().path("status");
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("readiness is " + last + ", expected " + status);
    }

    static double counter(String name) {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
                .matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }
}
