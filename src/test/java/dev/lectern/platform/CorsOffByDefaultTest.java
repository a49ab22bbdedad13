package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.Header;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Without {@code LECTERN_CORS_ORIGINS} (the default outside dev mode) the service sends no CORS header at all: a
 * browser on another origin cannot read its answers, and clients that send an {@code Origin} are served as usual.
 */
@QuarkusTest
class CorsOffByDefaultTest {

    @Test
    void aPreflightGetsNoCorsHeaders() {
        Response preflight = RestAssured.given()
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when()
                .options("/api/v1/search/context");

        assertThat(preflight.statusCode()).isLessThan(500);
        assertNoCorsHeaders(preflight);
    }

    @Test
    void aReadWithAnOriginIsServedWithoutCorsHeaders() {
        Response read = Callers.anonymous()
                .header("Origin", "https://app.example.org")
                .when()
                .get("/api/v1/books");

        assertThat(read.statusCode()).isEqualTo(200);
        assertNoCorsHeaders(read);
    }

    @Test
    void aProblemWithAnOriginCarriesNoCorsHeaders() {
        Response problem = RestAssured.given()
                .header("Origin", "https://app.example.org")
                .header("X-Api-Key", "not-a-key")
                .when()
                .get("/api/v1/me");

        assertThat(problem.statusCode()).isEqualTo(401);
        assertNoCorsHeaders(problem);
    }

    private static void assertNoCorsHeaders(Response response) {
        assertThat(response.headers().asList())
                .extracting(Header::getName)
                .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
        assertThat(response.headers().getValues("Vary")).noneMatch(value -> value.contains("Origin"));
    }
}
