package dev.lectern.progress.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class StudyTest {

    private static String task(Callers.Caller me, String json) {
        return me.request()
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void tasksAreCreatedChangedCompletedAndDeleted() {
        Callers.Caller me = Callers.newUser();
        UUID chapter = ProgressFixtures.publishedBook(1).chapterIds().get(0);
        String id = task(
                me,
                "{\"title\":\"Read QoS\",\"priority\":\"high\",\"category\":\"reading\",\"tags\":[\"ROS2\",\"qos\",\"ros2\"],"
                        + "\"dueDate\":\"2030-01-15\",\"dueTime\":\"18:00:00\",\"chapterId\":\"" + chapter + "\"}");
        me.request()
                .when()
                .get("/api/v1/me/tasks/{id}", id)
                .then()
                .statusCode(200)
                .body("tags", contains("ros2", "qos"))
                .body("completed", equalTo(false))
                .body("overdue", equalTo(false))
                .body("dueTime", equalTo("18:00:00"))
                .body("chapterId", equalTo(chapter.toString()));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"completed\":true,\"priority\":\"low\"}")
                .when()
                .patch("/api/v1/me/tasks/{id}", id)
                .then()
                .statusCode(200)
                .body("completed", equalTo(true))
                .body("completedAt", notNullValue())
                .body("priority", equalTo("low"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"completed\":false}")
                .when()
                .patch("/api/v1/me/tasks/{id}", id)
                .then()
                .statusCode(200)
                .body("completedAt", nullValue());
        me.request().when().delete("/api/v1/me/tasks/{id}", id).then().statusCode(204);
        me.request()
                .when()
                .get("/api/v1/me/tasks/{id}", id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void badTasksAreRejected() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"" + "x".repeat(201) + "\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("title"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"priority\":\"urgent\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("priority"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"dueTime\":\"10:00:00\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("dueTime"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"dueDate\":\"tomorrow\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("dueDate"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"chapterId\":\"" + UUID.randomUUID() + "\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("chapterId"));
        me.request()
                .queryParam("sort", "random")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("sort"));
        me.request()
                .queryParam("cursor", "junk")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .statusCode(400);
    }

    @Test
    void theTaskListFiltersSortsAndPages() {
        Callers.Caller me = Callers.newUser();
        String today = LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String overdue =
                task(me, "{\"title\":\"late\",\"priority\":\"low\",\"dueDate\":\"2020-01-01\",\"tags\":[\"exam\"]}");
        String soon = task(me, "{\"title\":\"soon\",\"priority\":\"high\",\"dueDate\":\"2030-01-01\"}");
        String undated = task(me, "{\"title\":\"someday\",\"priority\":\"medium\",\"tags\":[\"exam\"]}");
        String done = task(me, "{\"title\":\"done\",\"priority\":\"high\",\"dueDate\":\"" + today + "\"}");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"completed\":true}")
                .when()
                .patch("/api/v1/me/tasks/{id}", done)
                .then()
                .statusCode(200);

        me.request()
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .statusCode(200)
                .body("items.id", contains(overdue, soon, undated, done));
        me.request()
                .queryParam("sort", "due")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(overdue, done, soon, undated));
        me.request()
                .queryParam("sort", "priority")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(soon, done, undated, overdue));
        me.request()
                .queryParam("overdue", true)
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(overdue));
        me.request()
                .queryParam("tag", "EXAM")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(overdue, undated));
        me.request()
                .queryParam("completed", false)
                .queryParam("priority", "high")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(soon));
        me.request()
                .queryParam("dueBefore", "2025-01-01")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(overdue));
        me.request()
                .queryParam("dueAfter", "2025-01-01")
                .queryParam("sort", "due")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .body("items.id", contains(done, soon));

        for (String sort : List.of("created", "due", "priority")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                var request = me.request().queryParam("limit", 1).queryParam("sort", sort);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                var page = request.when()
                        .get("/api/v1/me/tasks")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                seen.addAll(page.getList("items.id"));
                cursor = page.getString("next");
            } while (cursor != null && seen.size() < 10);
            assertThat(seen).as(sort).hasSize(4).doesNotHaveDuplicates();
        }
        Callers.newUser().request().when().get("/api/v1/me/tasks").then().body("items", hasSize(0));
    }

    @Test
    void sessionsCountActiveTimeAndFeedTheStats() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .when()
                .get("/api/v1/me/stats")
                .then()
                .statusCode(200)
                .body("streakDays", equalTo(0))
                .body("reviewsDone", equalTo(0))
                .body("chaptersCompleted", equalTo(0));
        UUID chapter = ProgressFixtures.publishedBook(1).chapterIds().get(0);
        String id = me.request()
                .contentType(ContentType.JSON)
                .body("{\"chapterId\":\"" + chapter + "\"}")
                .when()
                .post("/api/v1/me/sessions")
                .then()
                .statusCode(201)
                .body("chapterId", equalTo(chapter.toString()))
                .body("endedAt", nullValue())
                .extract()
                .path("id");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"itemsReviewed\":3}")
                .when()
                .post("/api/v1/me/sessions/{id}/heartbeat", id)
                .then()
                .statusCode(200)
                .body("itemsReviewed", equalTo(3))
                .body("activeSeconds", greaterThanOrEqualTo(0));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"contentGenerated\":1}")
                .when()
                .post("/api/v1/me/sessions/{id}/end", id)
                .then()
                .statusCode(200)
                .body("endedAt", notNullValue())
                .body("contentGenerated", equalTo(1));
        me.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/me/sessions/{id}/heartbeat", id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"itemsReviewed\":-1}")
                .when()
                .post("/api/v1/me/sessions/{id}/heartbeat", id)
                .then()
                .statusCode(400);
        me.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/me/sessions/{id}/heartbeat", UUID.randomUUID())
                .then()
                .statusCode(404);

        String item = ProgressFixtures.newCard(me, "stats");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"rating\":\"good\"}")
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", item)
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"percent\":100}")
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200);
        me.request()
                .when()
                .get("/api/v1/me/stats")
                .then()
                .statusCode(200)
                .body("streakDays", equalTo(1))
                .body("reviewsDone", equalTo(1))
                .body("reviewsThisWeek", equalTo(1))
                .body("chaptersCompleted", equalTo(1))
                .body("minutesThisWeek", greaterThanOrEqualTo(0));
        me.request()
                .when()
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .body("progress.sessions", hasSize(1))
                .body("progress.enrolments", hasSize(0));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/me/sessions")
    java.net.URI sessionsUri;

    @Test
    void aSessionCanBeStartedWithNoBodyAndNoContentType() throws Exception {
        Callers.Caller me = Callers.newUser();
        var response = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        java.net.http.HttpRequest.newBuilder(sessionsUri)
                                .header("X-Api-Key", me.apiKey())
                                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"activeSeconds\":0");
    }

    @Test
    void aStreakCountsConsecutiveDaysEndingTodayOrYesterday() {
        LocalDate today = LocalDate.of(2026, 11, 23);
        assertThat(SessionService.streak(
                        new LocalDate[] {today, today.minusDays(1), today.minusDays(2), today.minusDays(4)}, today))
                .isEqualTo(3);
        assertThat(SessionService.streak(new LocalDate[] {today.minusDays(1), today.minusDays(2)}, today))
                .isEqualTo(2);
        assertThat(SessionService.streak(new LocalDate[] {today.minusDays(2)}, today))
                .isEqualTo(0);
        assertThat(SessionService.streak(null, today)).isEqualTo(0);
    }
}
