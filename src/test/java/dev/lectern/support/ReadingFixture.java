package dev.lectern.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;

/**
 * A published one-chapter book and a learner who reads it: the two idempotent requests the resilience tests repeat
 * are reading the chapter (Hibernate Reactive) and recording progress with an event id (Vert.x pool).
 */
public record ReadingFixture(String book, String chapter, UUID chapterId, Callers.Caller learner) {

    public static ReadingFixture create() {
        String book = "resilience-" + UUID.randomUUID().toString().substring(0, 8);
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + book + "\",\"title\":\"Resilience\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        String id = Callers.admin()
                .contentType("text/markdown")
                .body("---\ntitle: Staying up\nsidebar_position: 1\n---\n## Part\n\nConnections come and go.\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "staying-up")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return new ReadingFixture(book, "staying-up", UUID.fromString(id), Callers.newUser());
    }

    public Response readChapter() {
        return given().when().get("/api/v1/books/{b}/chapters/{c}", book, chapter);
    }

    /** Adds one second of reading time under this event id. */
    public Response recordProgress(UUID eventId, double percent) {
        return learner.request()
                .contentType(ContentType.JSON)
                .body("{\"percent\":" + percent + ",\"timeSpentSeconds\":1,\"eventId\":\"" + eventId + "\"}")
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapterId);
    }
}
