package dev.lectern.catalogue.content;

import static dev.lectern.catalogue.CatalogueFixtures.chapter;
import static dev.lectern.catalogue.CatalogueFixtures.putChapter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chapter reads come from chapters serialised once, and are never stale: whatever changes the chapter, here or on
 * another replica (played by SQL straight to the database), the next read shows it.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class ChapterReadsTest {

    private static Response read(String book, String chapter) {
        return given().get("/api/v1/books/{book}/chapters/{c}", book, chapter);
    }

    private static Response readAnonymously(String book, String chapter) {
        io.restassured.specification.RequestSpecification admin = io.restassured.RestAssured.requestSpecification;
        io.restassured.RestAssured.requestSpecification = null;
        try {
            return given().get("/api/v1/books/{book}/chapters/{c}", book, chapter);
        } finally {
            io.restassured.RestAssured.requestSpecification = admin;
        }
    }

    private static void sql(String statement, Object... parameters) throws Exception {
        try (Connection db = TestDatabase.connect();
                PreparedStatement update = db.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    @Test
    void aRepeatedReadIsByteForByteTheFirstAndHonoursIfNoneMatch() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "one", chapter("One", 1, "beginner", 3)).statusCode(201);

        Response first = read(book, "one");
        Response second = read(book, "one");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.asByteArray()).isEqualTo(first.asByteArray());
        assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(second.contentType())
                .as("what the REST layer gives any JSON entity")
                .isEqualTo(given().get("/api/v1/books/{book}", book).contentType());
        given().header("If-None-Match", first.header("ETag"))
                .get("/api/v1/books/{book}/chapters/{c}", book, "one")
                .then()
                .statusCode(304)
                .header("ETag", first.header("ETag"));
    }

    @Test
    void aChangeThroughTheApiIsReadAtOnce() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "one", chapter("One", 1, "beginner", 1)).statusCode(201);
        String before = read(book, "one").header("ETag");

        putChapter(book, "one", chapter("One, revised", 1, "beginner", 2)).statusCode(200);

        Response after = read(book, "one");
        assertThat(after.jsonPath().getString("title")).isEqualTo("One, revised");
        assertThat(after.jsonPath().getList("sections")).hasSize(3); // the introduction and two parts
        assertThat(after.header("ETag")).isNotEqualTo(before);
    }

    @Test
    void aChangeMadeByAnotherReplicaIsReadAtOnce() throws Exception {
        String book = CatalogueFixtures.newBook();
        String id = putChapter(book, "one", chapter("One", 1, "beginner", 1))
                .statusCode(201)
                .extract()
                .path("id");
        read(book, "one").then().statusCode(200);

        sql("UPDATE chapters SET title = 'Changed elsewhere', version = version + 1 WHERE id = ?", UUID.fromString(id));

        assertThat(read(book, "one").jsonPath().getString("title")).isEqualTo("Changed elsewhere");
    }

    @Test
    void outcomeLinksThatChangeWithoutANewVersionAreReadAtOnce() throws Exception {
        String framework = CatalogueFixtures.defaultFrameworkWithOutcomes("READ-1", "READ-2");
        String book = CatalogueFixtures.newBook();
        String id = putChapter(
                        book, "one", chapter("One", 1, "beginner", 1, framework + "/READ-1", framework + "/READ-2"))
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(read(book, "one").jsonPath().getList("outcomes")).hasSize(2);

        sql(
                "DELETE FROM chapter_outcomes WHERE chapter_id = ? AND outcome_id = (SELECT id FROM outcomes WHERE code = 'READ-2' AND framework_id = (SELECT id FROM curriculum_frameworks WHERE code = ?))",
                UUID.fromString(id),
                framework);

        assertThat(read(book, "one").jsonPath().getList("outcomes")).hasSize(1);
    }

    @Test
    void visibilityIsCheckedOnEveryReadNotKept() throws Exception {
        String book = CatalogueFixtures.newBook(true);
        putChapter(book, "one", chapter("One", 1, "beginner", 1)).statusCode(201);
        assertThat(readAnonymously(book, "one").statusCode()).isEqualTo(200);

        given().contentType("application/json")
                .body("{\"published\":false}")
                .patch("/api/v1/books/{book}", book)
                .then()
                .statusCode(200);
        assertThat(readAnonymously(book, "one").statusCode()).isEqualTo(404);
        assertThat(read(book, "one").statusCode())
                .as("an admin still sees the draft")
                .isEqualTo(200);

        given().delete("/api/v1/books/{book}/chapters/{c}", book, "one").then().statusCode(204);
        assertThat(read(book, "one").statusCode()).isEqualTo(404);
        assertThat(read(book, "one").contentType()).startsWith("application/problem+json");
    }
}
