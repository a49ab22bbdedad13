package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, started by Quarkus' integration-test launcher, doing what a day of traffic does: import a
 * real Docusaurus folder, read chapters (with and without their ETag), page through the catalogue, record a learner's
 * progress and reviews, search in every mode, build a context pack, and drive the MCP endpoint as an agent would.
 *
 * <p>It checks that the packaged jar serves all of that. It is also the training run of the JDK AOT cache: with
 * {@code quarkus.package.jar.aot.enabled} (the {@code aot} profile, on JDK 25 and later) the launcher records this run
 * and writes {@code target/quarkus-app/app.aot}, so what it exercises is what a pod finds already loaded, linked and
 * profiled when it starts ({@code docs/operations.md}, "Start-up").
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = TrainingDatabase.class, restrictToAnnotatedClass = true)
class AotTrainingIT {

    private static final String BOOK = "training-book";
    private static final int ROUNDS = 40;

    @Test
    void servesADayOfTraffic() throws IOException, InterruptedException {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/openapi?format=json").then().statusCode(200);

        curriculum();
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + BOOK + "\",\"title\":\"Training\",\"language\":\"en\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        Callers.admin()
                .contentType("application/zip")
                .body(sampleBookZip())
                .when()
                .post("/api/v1/books/{book}/import", BOOK)
                .then()
                .statusCode(200)
                .body("failed", equalTo(0))
                .body("created", equalTo(sampleBookPages()));
        List<String> slugs = given().when()
                .get("/api/v1/books/{book}/chapters?limit=20", BOOK)
                .then()
                .statusCode(200)
                .body("items", hasSize(greaterThan(2)))
                .extract()
                .path("items.slug");

        String learnerKey = Callers.newUser("learner").apiKey();
        for (int round = 0; round < ROUNDS; round++) {
            String slug = slugs.get(round % slugs.size());
            Response chapter = given().when().get("/api/v1/books/{book}/chapters/{chapter}", BOOK, slug);
            assertThat(chapter.statusCode()).isEqualTo(200);
            given().header("If-None-Match", chapter.header("ETag"))
                    .when()
                    .get("/api/v1/books/{book}/chapters/{chapter}", BOOK, slug)
                    .then()
                    .statusCode(304);
            given().when().get("/api/v1/books?limit=5").then().statusCode(200);
            given().header("X-Api-Key", learnerKey)
                    .contentType(ContentType.JSON)
                    .body("{\"percent\":" + (round % 100) + ",\"position\":{\"sectionNumber\":1,\"offset\":" + round
                            + "},\"timeSpentSeconds\":1,\"eventId\":\"" + UUID.randomUUID() + "\"}")
                    .when()
                    .put("/api/v1/me/progress/chapters/{id}", chapter.path("id").toString())
                    .then()
                    .statusCode(200);
        }
        given().header("X-Api-Key", learnerKey)
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .statusCode(200);
        String item = given().header("X-Api-Key", learnerKey)
                .contentType(ContentType.JSON)
                .body("{\"front\":\"Which command lists topics?\",\"back\":\"ros2 topic list\"}")
                .when()
                .post("/api/v1/me/review-items")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().header("X-Api-Key", learnerKey)
                .contentType(ContentType.JSON)
                .body("{\"rating\":\"good\"}")
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", item)
                .then()
                .statusCode(200);
        given().header("X-Api-Key", learnerKey)
                .when()
                .get("/api/v1/me/reviews/due")
                .then()
                .statusCode(200);

        awaitIndexed();
        for (String mode : List.of("hybrid", "dense", "fulltext")) {
            for (int round = 0; round < ROUNDS / 4; round++) {
                given().contentType(ContentType.JSON)
                        .body("{\"query\":\"How do nodes exchange messages on a topic?\",\"mode\":\"" + mode
                                + "\",\"limit\":5,\"filters\":{\"book\":\"" + BOOK + "\"}}")
                        .when()
                        .post("/api/v1/search")
                        .then()
                        .statusCode(200)
                        .body("hits", hasSize(greaterThan(0)));
            }
        }
        given().contentType(ContentType.JSON)
                .body("{\"query\":\"What is a coordinate frame?\",\"tokenBudget\":800}")
                .when()
                .post("/api/v1/search/context")
                .then()
                .statusCode(200);

        mcpSession(learnerKey);
    }

    /** initialize, the initialized notification, tools/list and a search_passages call, as an MCP client sends them. */
    private static void mcpSession(String apiKey) {
        Response initialize = mcp(apiKey, null)
                .body(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"training\",\"version\":\"1\"}}}")
                .post("/mcp");
        assertThat(initialize.statusCode()).isEqualTo(200);
        String session = initialize.header("Mcp-Session-Id");
        assertThat(session).isNotBlank();
        mcp(apiKey, session)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .post("/mcp")
                .then()
                .statusCode(202);
        mcp(apiKey, session)
                .body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")
                .post("/mcp")
                .then()
                .statusCode(200)
                .body(containsString("search_passages"));
        mcp(apiKey, session)
                .body(
                        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"search_passages\","
                                + "\"arguments\":{\"query\":\"What does a launch file do?\",\"limit\":3}}}")
                .post("/mcp")
                .then()
                .statusCode(200)
                .body(containsString("\"isError\":false"));
        mcp(apiKey, session).delete("/mcp").then().statusCode(204);
    }

    private static RequestSpecification mcp(String apiKey, String session) {
        RequestSpecification request = given().header("X-Api-Key", apiKey)
                .header("Accept", "application/json, text/event-stream")
                .contentType(ContentType.JSON);
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request;
    }

    /** Imported chapters are indexed in the background; search them once the index holds them. */
    private static void awaitIndexed() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            int hits = given().contentType(ContentType.JSON)
                    .body("{\"query\":\"topic\",\"mode\":\"dense\",\"filters\":{\"book\":\"" + BOOK + "\"}}")
                    .when()
                    .post("/api/v1/search")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("hits.size()");
            if (hits > 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the imported chapters were not indexed within 120 s");
    }

    /** The framework and the outcomes the sample book's front matter links its chapters to. */
    private static void curriculum() {
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"ros2-skills\",\"name\":\"ROS 2 Skills\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(201);
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"ros2\",\"name\":\"ROS 2\"}")
                .when()
                .post("/api/v1/frameworks/ros2-skills/subjects")
                .then()
                .statusCode(201);
        for (String outcome : List.of("ROS.ARCH.1", "ROS.COMM.1", "ROS.COMM.2", "ROS.OPS.1", "ROS.TF.1")) {
            Callers.admin()
                    .contentType(ContentType.JSON)
                    .body("{\"code\":\"" + outcome + "\",\"subject\":\"ros2\",\"description\":\"Outcome " + outcome
                            + "\",\"stage\":\"foundation\"}")
                    .when()
                    .post("/api/v1/frameworks/ros2-skills/outcomes")
                    .then()
                    .statusCode(201);
        }
        given().when()
                .get("/api/v1/frameworks/ros2-skills/outcomes?subject=ros2")
                .then()
                .statusCode(200);
    }

    private static final Path SAMPLE_DOCS = Path.of("src", "main", "resources", "sample-book", "docs");

    private static int sampleBookPages() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLE_DOCS)) {
            return (int) files.filter(file -> file.toString().endsWith(".md")).count();
        }
    }

    /** The sample book's Markdown as a Docusaurus {@code docs/} folder in a zip, as a platform would upload it. */
    private static byte[] sampleBookZip() throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> files = Files.list(SAMPLE_DOCS)) {
            for (Path file : files.toList()) {
                entries.put("docs/" + file.getFileName(), Files.readString(file));
            }
        }
        return CatalogueFixtures.zip(entries);
    }
}
