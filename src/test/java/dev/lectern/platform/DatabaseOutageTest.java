package dev.lectern.platform;

import static dev.lectern.platform.ConnectionLossTest.awaitReadiness;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.DatabaseProxy;
import dev.lectern.support.DatabaseProxy.InjectProxy;
import dev.lectern.support.ReadingFixture;
import dev.lectern.support.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full database outage, made by cutting a TCP proxy between the application and PostgreSQL (only this application's
 * connections; the server itself keeps running for everyone else): readiness goes DOWN, requests are answered 503
 * problem+json with Retry-After within the acquisition timeout instead of hanging or failing with 500, and everything
 * recovers when the database is back.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ThroughProxy.class)
@Tag("database-proxy")
class DatabaseOutageTest {

    /** The connect and acquisition timeouts of the profile (2 s), plus slack for a loaded build machine. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxy.class));
        }
    }

    @InjectProxy
    TcpProxy proxy;

    @AfterEach
    void restoreTheDatabase() {
        proxy.forward();
    }

    @Test
    void whileTheDatabaseRefusesConnectionsReadinessIsDownAndRequestsGet503() throws Exception {
        ReadingFixture reading = ReadingFixture.create();
        reading.recordProgress(UUID.randomUUID(), 10).then().statusCode(200);

        proxy.refuse();

        awaitReadiness("DOWN");
        assertUnavailablePromptly(reading::readChapter);
        assertUnavailablePromptly(() -> reading.recordProgress(UUID.randomUUID(), 20));

        proxy.forward();

        assertRecovered(reading);
    }

    @Test
    void whileTheDatabaseAcceptsConnectionsButNeverAnswersRequestsGet503WithinTheTimeouts() throws Exception {
        ReadingFixture reading = ReadingFixture.create();
        reading.recordProgress(UUID.randomUUID(), 10).then().statusCode(200);

        proxy.blackhole();

        assertUnavailablePromptly(reading::readChapter);
        assertUnavailablePromptly(() -> reading.recordProgress(UUID.randomUUID(), 20));
        awaitReadiness("DOWN");

        proxy.forward();

        assertRecovered(reading);
    }

    private static void assertUnavailablePromptly(Supplier<Response> request) {
        long start = System.nanoTime();
        Response response = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://lectern.dev/problems/unavailable");
        assertThat(took)
                .as("answered within the connect and acquisition timeouts (%s), not hung", DatabaseProxy.TIMEOUT)
                .isLessThan(PROMPT);
    }

    private static void assertRecovered(ReadingFixture reading) throws InterruptedException {
        awaitReadiness("UP");
        reading.readChapter().then().statusCode(200);
        UUID eventId = UUID.randomUUID();
        reading.recordProgress(eventId, 30).then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
