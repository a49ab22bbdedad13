package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import dev.lectern.support.RawHttp;
import dev.lectern.support.RawHttp.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS as a browser meets it, with {@code LECTERN_CORS_ORIGINS} set (as {@code lectern.cors.origins}, which is what the
 * variable is read as): preflights, simple requests, refused origins, and the CORS headers on every kind of problem,
 * those the HTTP layer answers before any resource included, so a script can read why it failed.
 */
@QuarkusTest
@TestProfile(CorsTest.FrontEndOrigins.class)
class CorsTest {

    static final String APP = "https://app.example.org";
    static final String PREVIEW = "https://pr-42.preview.example.org";
    static final String STRANGER = "https://evil.example.net";

    public static class FrontEndOrigins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Spaces and a mixed-case origin, as an operator might write them.
            return Map.of(
                    "lectern.cors.origins",
                    " HTTPS://App.Example.org , /https://[a-z0-9-]+[.]preview[.]example[.]org/");
        }
    }

    @TestHTTPResource("/")
    URI server;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredBeforeAuthentication() {
        Response preflight = preflight(APP, "POST", "authorization,content-type,idempotency-key");

        preflight
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Credentials", "false")
                .header("Access-Control-Max-Age", "3600")
                .header("Vary", containsString("Origin"));
        assertThat(list(preflight, "Access-Control-Allow-Methods")).contains("get", "post", "put", "patch", "delete");
        assertThat(list(preflight, "Access-Control-Allow-Headers"))
                .contains("authorization", "content-type", "idempotency-key", "if-none-match", "x-api-key");
    }

    /** An MCP client in a browser sends its session and protocol version and must read the session it was given. */
    @Test
    void anMcpClientInABrowserMayKeepItsSession() {
        Response preflight = preflight(APP, "POST", "content-type,x-api-key,mcp-session-id,mcp-protocol-version");

        preflight.then().statusCode(200).header("Access-Control-Allow-Origin", APP);
        assertThat(list(preflight, "Access-Control-Allow-Headers")).contains("mcp-session-id", "mcp-protocol-version");
        RestAssured.given()
                .header("Origin", APP)
                .contentType("application/json")
                .accept("application/json, text/event-stream")
                .body(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"browser\",\"version\":\"1\"}}}")
                .when()
                .post("/mcp")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Expose-Headers", containsString("Mcp-Session-Id"))
                .header("Mcp-Session-Id", not(nullValue()));
    }

    @Test
    void anOriginMatchingAConfiguredPatternIsAllowed() {
        preflight(PREVIEW, "GET", "x-api-key").then().statusCode(200).header("Access-Control-Allow-Origin", PREVIEW);
    }

    /** A browser never holds a service key, so it has no business acting for someone else. */
    @Test
    void aBrowserMayNotSendXOnBehalfOf() {
        Response preflight = preflight(APP, "GET", "x-api-key,x-on-behalf-of");

        assertThat(list(preflight, "Access-Control-Allow-Headers"))
                .contains("x-api-key")
                .doesNotContain("x-on-behalf-of");
    }

    @Test
    void aPreflightFromAnotherOriginIsNotAllowed() {
        preflight(STRANGER, "POST", "authorization")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        preflight("https://app.example.org.evil.example.net", "GET", "x-api-key")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aWriteAndAConditionalReadFromAnAllowedOriginExposeTheHeadersScriptsNeed() {
        String book = CatalogueFixtures.newBook(Callers.admin(), true);
        String chapter = CatalogueFixtures.uniqueSlug("chapter");

        Response write = Callers.admin()
                .header("Origin", APP)
                .contentType("text/markdown")
                .body(CatalogueFixtures.chapter("Cross origin", 1, "beginner", 1))
                .when()
                .put("/api/v1/books/{book}/chapters/{chapter}", book, chapter);

        write.then()
                .statusCode(201)
                .header("Access-Control-Allow-Origin", APP)
                .header("ETag", not(nullValue()))
                .header("Vary", containsString("Origin"));
        assertThat(list(write, "Access-Control-Expose-Headers"))
                .contains(
                        "etag",
                        "location",
                        "retry-after",
                        "idempotent-replayed",
                        "content-disposition",
                        "www-authenticate");
        Callers.anonymous()
                .header("Origin", APP)
                .header("If-None-Match", write.header("ETag"))
                .when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, chapter)
                .then()
                .statusCode(304)
                .header("Access-Control-Allow-Origin", APP);
    }

    @Test
    void aReadFromAnotherOriginGetsNoAllowOrigin() {
        Callers.anonymous()
                .header("Origin", STRANGER)
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aRequestWithoutOriginGetsNoCorsHeadersButVaries() {
        Callers.anonymous()
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Vary", containsString("Origin"));
    }

    @Test
    void problemsFromResourcesCarryTheCorsHeaders() {
        allowed(RestAssured.given()
                        .header("Origin", APP)
                        .header("X-Api-Key", "not-a-key")
                        .when()
                        .get("/api/v1/me")
                        .then())
                .statusCode(401);
        allowed(Callers.anonymous()
                        .header("Origin", APP)
                        .when()
                        .get("/api/v1/books/{book}", CatalogueFixtures.uniqueSlug("missing"))
                        .then())
                .statusCode(404);
        allowed(Callers.admin()
                        .header("Origin", APP)
                        .contentType(ContentType.JSON)
                        .body("{\"slug\":\"Not A Slug\",\"title\":\"\",\"language\":\"en\"}")
                        .when()
                        .post("/api/v1/books")
                        .then())
                .statusCode(400);
    }

    @Test
    void problemsOfTheHttpLayerCarryTheCorsHeaders() throws Exception {
        String origin = "\r\nOrigin: " + APP;
        assertReadableProblem(
                RawHttp.exchange(server, get("/api/v1/books?q=" + "a".repeat(10_000)) + origin, null), 414);
        assertReadableProblem(
                RawHttp.exchange(server, get("/api/v1/books") + origin + "\r\nX-Padding: " + "p".repeat(20_000), null),
                431);
        assertReadableProblem(
                RawHttp.exchange(
                        server, post("/api/v1/books") + origin + "\r\nContent-Length: " + (9L * 1024 * 1024), null),
                413);
        assertReadableProblem(
                RawHttp.chunked(server, post("/api/v1/books") + origin, 9L * 1024 * 1024, (byte) ' '), 413);
        assertReadableProblem(
                RawHttp.exchange(
                        server,
                        post("/api/v1/books").replace("application/json", "text/plain") + origin
                                + "\r\nContent-Length: 2",
                        "{}".getBytes()),
                415);
    }

    private static Response preflight(String origin, String method, String headers) {
        return RestAssured.given()
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .when()
                .options("/api/v1/search/context");
    }

    private static ValidatableResponse allowed(ValidatableResponse response) {
        return response.contentType(Problem.MEDIA_TYPE)
                .header("Access-Control-Allow-Origin", equalTo(APP))
                .header("Access-Control-Expose-Headers", containsString("ETag"));
    }

    private static void assertReadableProblem(Answer answer, int status) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as("%s", answer).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(answer.header("Access-Control-Allow-Origin"))
                .as("%s", answer)
                .isEqualTo(APP);
        assertThat(answer.header("Access-Control-Expose-Headers"))
                .as("%s", answer)
                .contains("Retry-After");
    }

    /** A comma-separated header as lower-case entries. */
    private static List<String> list(Response response, String header) {
        String value = response.header(header);
        assertThat(value).as(header).isNotNull();
        return Arrays.stream(value.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost";
    }

    private static String post(String target) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AsAdmin.ADMIN_KEY
                + "\r\nContent-Type: application/json";
    }
}
