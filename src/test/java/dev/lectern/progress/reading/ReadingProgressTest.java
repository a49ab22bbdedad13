package dev.lectern.progress.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class ReadingProgressTest {

    @TestHTTPResource("/api/v1/me/progress/chapters/")
    URI progressUri;

    private static String put(
            double percent, Integer section, Integer offset, Integer seconds, UUID eventId, Boolean reset) {
        StringBuilder json = new StringBuilder("{\"percent\":").append(percent);
        if (section != null) {
            json.append(",\"position\":{\"sectionNumber\":")
                    .append(section)
                    .append(",\"offset\":")
                    .append(offset)
                    .append('}');
        }
        if (seconds != null) {
            json.append(",\"timeSpentSeconds\":").append(seconds);
        }
        if (eventId != null) {
            json.append(",\"eventId\":\"").append(eventId).append('"');
        }
        if (reset != null) {
            json.append(",\"reset\":").append(reset);
        }
        return json.append('}').toString();
    }

    @Test
    void progressNeverRegressesWhenAStaleWriteArrives() {
        Callers.Caller me = Callers.newUser();
        UUID chapter = ProgressFixtures.publishedBook(2).chapterIds().get(0);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(60, 3, 120, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("percent", equalTo(60.0f))
                .body("position.sectionNumber", equalTo(3));
        me.request()
                .contentType(ContentType.JSON)
                .body(put(20, 1, 5, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("percent", equalTo(60.0f))
                .body("position.sectionNumber", equalTo(3));
        me.request()
                .contentType(ContentType.JSON)
                .body(put(100, 4, 0, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("completed", equalTo(true))
                .body("completedAt", notNullValue());
        me.request()
                .contentType(ContentType.JSON)
                .body(put(10, 1, 0, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("completed", equalTo(true))
                .body("percent", equalTo(100.0f));
        me.request()
                .contentType(ContentType.JSON)
                .body(put(10, 1, 0, null, null, true))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("completed", equalTo(false))
                .body("percent", equalTo(10.0f))
                .body("completedAt", nullValue());
    }

    @Test
    void timeSpentIsAddedOncePerEvent() {
        Callers.Caller me = Callers.newUser();
        UUID chapter = ProgressFixtures.publishedBook(1).chapterIds().get(0);
        UUID event = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            me.request()
                    .contentType(ContentType.JSON)
                    .body(put(5, null, null, 90, event, null))
                    .when()
                    .put("/api/v1/me/progress/chapters/{id}", chapter)
                    .then()
                    .statusCode(200)
                    .body("timeSpentSeconds", equalTo(90));
        }
        me.request()
                .contentType(ContentType.JSON)
                .body(put(6, null, null, 30, UUID.randomUUID(), null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("timeSpentSeconds", equalTo(120));
    }

    @Test
    void badProgressIsRejected() {
        Callers.Caller me = Callers.newUser();
        UUID chapter = ProgressFixtures.publishedBook(1).chapterIds().get(0);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(150, null, null, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("percent"));
        me.request()
                .contentType(ContentType.JSON)
                .body(put(10, null, null, 30, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("eventId"));
        me.request()
                .contentType(ContentType.JSON)
                .body(put(10, 0, -1, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(400);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(10, null, null, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        me.request()
                .contentType(ContentType.JSON)
                .body(put(10, null, null, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", "not-a-uuid")
                .then()
                .statusCode(400);
        Callers.anonymous()
                .contentType(ContentType.JSON)
                .body(put(10, null, null, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(401);
    }

    @Test
    void bookCompletionIsWeightedByReadingTime() {
        Callers.Caller me = Callers.newUser();
        ProgressFixtures.Book book = ProgressFixtures.publishedBook(1, 3);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(100, 1, 0, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", book.chapterIds().get(0))
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(50, 1, 0, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", book.chapterIds().get(1))
                .then()
                .statusCode(200);
        // (1 min x 100% + 3 min x 50%) / 4 min = 62.5%
        me.request()
                .when()
                .get("/api/v1/me/progress/books/{book}", book.slug())
                .then()
                .statusCode(200)
                .body("completion", equalTo(62.5f))
                .body("completedChapters", equalTo(1))
                .body("totalChapters", equalTo(2))
                .body("chapters.status", contains("completed", "in_progress"))
                .body("chapters.estimatedReadingMinutes", contains(1, 3));
        Callers.newUser()
                .request()
                .when()
                .get("/api/v1/me/progress/books/{book}", book.slug())
                .then()
                .statusCode(200)
                .body("completion", equalTo(0.0f))
                .body("chapters.status", contains("not_started", "not_started"));
        me.request()
                .when()
                .get("/api/v1/me/progress/books/{book}", "no-such-book-p")
                .then()
                .statusCode(404);
    }

    @Test
    void recentListsWhatToResumeNewestFirst() {
        Callers.Caller me = Callers.newUser();
        ProgressFixtures.Book book = ProgressFixtures.publishedBook(1, 1, 1);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(30, 2, 10, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", book.chapterIds().get(0))
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(100, null, null, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", book.chapterIds().get(1))
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .body(put(70, 1, 3, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", book.chapterIds().get(2))
                .then()
                .statusCode(200);
        me.request()
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .statusCode(200)
                .body("items.chapterSlug", contains("c3", "c1"))
                .body("items[0].position.offset", equalTo(3))
                .body("items[0].book", equalTo(book.slug()));
        me.request()
                .queryParam("includeCompleted", true)
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .statusCode(200)
                .body("items", hasSize(3));
    }

    /** Many connections write one row at once: no time is lost, the highest percent wins, completion sticks. */
    @Test
    void concurrentConflictingWritesLoseNothing() {
        Callers.Caller me = Callers.newUser();
        UUID chapter = ProgressFixtures.publishedBook(1).chapterIds().get(0);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(42);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        double highest = 0;
        int writes = 80;
        for (int i = 0; i < writes; i++) {
            double percent = i == writes / 2 ? 100 : random.nextInt(100);
            highest = Math.max(highest, percent);
            HttpRequest request = HttpRequest.newBuilder(progressUri.resolve(chapter.toString()))
                    .header("Content-Type", "application/json")
                    .header("X-Api-Key", me.apiKey())
                    .PUT(HttpRequest.BodyPublishers.ofString(put(percent, 1, i, 1, UUID.randomUUID(), null)))
                    .build();
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.join().statusCode()).isEqualTo(200);
        }
        me.request()
                .contentType(ContentType.JSON)
                .body(put(0, null, null, null, null, null))
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200)
                .body("timeSpentSeconds", equalTo(writes))
                .body("percent", equalTo((float) highest))
                .body("completed", equalTo(true));
    }
}
