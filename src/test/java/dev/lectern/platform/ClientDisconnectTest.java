package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Clients that disconnect while their request's Hibernate Reactive transaction is open must not cost a pool
 * connection each (quarkusio/quarkus#51576; see {@link UncancellableTransactionInterceptor}). Before the fix each such
 * disconnect kept one connection in use forever; as many as the pool holds left every later request 503.
 */
@QuarkusTest
class ClientDisconnectTest {

    private static final String PATH = "/api/v1/test-only/slow-transaction";

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20")
    int poolSize;

    @ConfigProperty(name = "lectern.auth.admin-api-key")
    String adminKey;

    @Inject
    MeterRegistry metrics;

    @Test
    void disconnectsDuringTransactionsDoNotDrainThePool() throws Exception {
        for (int i = 0; i < poolSize + 5; i++) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + adminKey
                                + "\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // Inside the transaction's 300 ms, then gone: the REST layer cancels the pipeline.
                Thread.sleep(60);
            }
        }
        // Every connection goes back to the pool (background work may hold one for a moment).
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double active;
        while ((active = activeConnections()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(active)
                .as("pool connections still in use after the disconnected requests ended")
                .isZero();
        given().header("X-Api-Key", adminKey)
                .when()
                .post(PATH)
                .then()
                .statusCode(200)
                .body(equalTo("done"));
    }

    /** The reactive pool's connections in use (Vert.x's sql.pool.active gauge). */
    private double activeConnections() {
        return metrics.get("sql.pool.active").gauge().value();
    }
}
