package dev.lectern.index.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.lectern.index.IndexFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IndexAdminResourceTest {

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private JsonPath awaitFinished(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath job = Callers.admin()
                    .when()
                    .get("/api/v1/admin/index/jobs/{id}", id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (job.getString("status").equals("succeeded")
                    || job.getString("status").equals("failed")) {
                return job;
            }
            sleep(200);
        }
        throw new AssertionError("index job " + id + " did not finish within 120 s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRebuildRecreatesTheIndexFromStoredVectorsAndReportsProgress() {
        String[] c = withAdmin(() -> IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS));
        var accepted = Callers.admin()
                .when()
                .post("/api/v1/admin/index/rebuild?recreate=true")
                .then()
                .statusCode(202)
                .header("Location", matchesPattern(".*/api/v1/admin/index/jobs/[0-9a-f-]{36}$"))
                .body("status", equalTo("queued"))
                .extract();
        String id = accepted.path("id");
        JsonPath job = awaitFinished(id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInt("total")).isPositive();
        assertThat(job.getInt("processed")).isEqualTo(job.getInt("total"));
        assertThat(job.getInt("chunks")).isPositive();
        assertThat(job.getDouble("rate")).isPositive();
        assertThat(job.getLong("etaSeconds")).isZero();
        assertThat(job.getString("model")).isNotBlank();

        // The recreated index serves dense search again, from the vectors stored in Postgres.
        Callers.admin()
                .contentType(ContentType.JSON)
                .body(IndexFixtures.searchBody("laser range scan", "dense", c[0]))
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .body("hits[0].sectionTitle", equalTo("Lidar scans"));
    }

    @Test
    void progressStreamsAsServerSentEventsUntilTheJobEnds() {
        String[] c = withAdmin(() -> IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS));
        String id = Callers.admin()
                .when()
                .post("/api/v1/admin/index/rebuild?book={book}", c[0])
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String stream = Callers.admin()
                .accept("text/event-stream")
                .when()
                .get("/api/v1/admin/index/jobs/{id}/events", id)
                .then()
                .statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract()
                .asString();
        assertThat(stream).contains("data:").contains("\"id\":\"" + id + "\"");
        String last = stream.substring(stream.lastIndexOf("data:"));
        assertThat(last)
                .contains("\"status\":\"succeeded\"")
                .contains("\"total\":1")
                .contains("\"processed\":1");
    }

    @Test
    void rebuildScopesAreValidated() {
        Callers.admin()
                .when()
                .post("/api/v1/admin/index/rebuild?book=no-such-book-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        Callers.admin()
                .when()
                .post("/api/v1/admin/index/rebuild?book=Not_A_Slug")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        String book = withAdmin(dev.lectern.catalogue.CatalogueFixtures::newBook);
        Callers.admin()
                .when()
                .post("/api/v1/admin/index/rebuild?book={book}&recreate=true", book)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("recreate"));
    }

    @Test
    void aSecondRebuildWhileOneRunsIsAConflict() {
        UUID running = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO index_jobs (id, status, model) VALUES ($1, 'running', 'test')")
                .execute(Tuple.of(running))
                .await()
                .indefinitely();
        try {
            Callers.admin()
                    .when()
                    .post("/api/v1/admin/index/rebuild")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString(running.toString()));
        } finally {
            pool.preparedQuery("UPDATE index_jobs SET status = 'failed', finished_at = now() WHERE id = $1")
                    .execute(Tuple.of(running))
                    .await()
                    .indefinitely();
        }
    }

    @Test
    void unknownJobsAreNotFound() {
        String id = UUID.randomUUID().toString();
        Callers.admin()
                .when()
                .get("/api/v1/admin/index/jobs/{id}", id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        Callers.admin()
                .accept("text/event-stream")
                .when()
                .get("/api/v1/admin/index/jobs/{id}/events", id)
                .then()
                .statusCode(404);
        Callers.admin()
                .when()
                .get("/api/v1/admin/index/jobs/not-a-uuid")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void onlyAdminsControlTheIndex() {
        Callers.Caller learner = Callers.newUser();
        Callers.Caller service = Callers.newUser("service");
        for (var spec : java.util.List.of(learner.request(), service.request())) {
            spec.when()
                    .post("/api/v1/admin/index/rebuild")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        Callers.anonymous()
                .when()
                .post("/api/v1/admin/index/rebuild")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        Callers.anonymous()
                .when()
                .get("/api/v1/admin/index/jobs/{id}", UUID.randomUUID())
                .then()
                .statusCode(401);
        learner.request()
                .when()
                .get("/api/v1/admin/index/jobs/{id}", UUID.randomUUID())
                .then()
                .statusCode(403);
        Callers.anonymous()
                .accept("text/event-stream")
                .when()
                .get("/api/v1/admin/index/jobs/{id}/events", UUID.randomUUID())
                .then()
                .statusCode(401);
        learner.request()
                .accept("text/event-stream")
                .when()
                .get("/api/v1/admin/index/jobs/{id}/events", UUID.randomUUID())
                .then()
                .statusCode(403);
    }

    @Test
    void adminStatsReportTheOutboxDepth() {
        Callers.admin()
                .when()
                .get("/api/v1/admin/stats")
                .then()
                .statusCode(200)
                .body("outboxDepth", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    /** Catalogue fixtures send their requests with RestAssured's default spec: the admin key, for their duration. */
    private static <T> T withAdmin(java.util.function.Supplier<T> work) {
        RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("X-Api-Key", "test-admin-key")
                .build();
        try {
            return work.get();
        } finally {
            RestAssured.requestSpecification = null;
        }
    }
}
