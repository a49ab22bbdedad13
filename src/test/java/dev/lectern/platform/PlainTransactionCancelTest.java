package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What a plain {@code Panache.withTransaction} does when its client disconnects, re-checked on each upgrade. On Quarkus
 * 3.29 / Hibernate Reactive 3.1 the cancel left the connection checked out for good (quarkusio/quarkus#51576), the
 * reason {@link UncancellableTransaction} was written. On 3.33 / Hibernate Reactive 3.2 the connection comes back:
 * the transaction is rolled back ("HR000090: Live transaction detected while closing the connection", logged at ERROR
 * by Mutiny for every disconnect). Lectern keeps {@link UncancellableTransaction} for what it promises beyond the leak
 * (see its interceptor). Runs on its own application instance with a pool smaller than the disconnects, so a
 * regression to leaking would show as exhaustion.
 */
@QuarkusTest
@TestProfile(PlainTransactionCancelTest.SmallPool.class)
class PlainTransactionCancelTest {

    private static final int POOL = 3;

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", Integer.toString(POOL));
        }
    }

    @ConfigProperty(name = "lectern.auth.admin-api-key")
    String adminKey;

    @Inject
    MeterRegistry metrics;

    @Test
    void aDisconnectDuringAPlainTransactionNoLongerCostsAPoolConnection() throws Exception {
        for (int i = 0; i < POOL * 3; i++) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/test-only/slow-transaction/plain HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: "
                                + adminKey + "\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(60); // inside the transaction's 300 ms, then gone
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double active;
        while ((active = metrics.get("sql.pool.active").gauge().value()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(active)
                .as("connections still checked out by cancelled plain transactions")
                .isZero();
        given().header("X-Api-Key", adminKey)
                .when()
                .post("/api/v1/test-only/slow-transaction/plain")
                .then()
                .statusCode(200)
                .body(equalTo("done"));
    }
}
