package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A cursor the service did not issue is a 400 problem on the list it is sent to, never a 500 and never a page. */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class CursorForgeryTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                // Well-formed base64 of "c1<US>books<US><NUL>", the unsigned format: once a 500.
                "YzEfYm9va3MfAA",
                // "c1<US>books<US>zzz": a plausible unsigned cursor.
                "YzEfYm9va3MfenZ6",
                "not-base64!",
                "AAAA",
                "YzI"
            })
    void aCursorTheServiceNeverIssuedIsA400Problem(String cursor) {
        assertBadCursor("/api/v1/books", cursor);
    }

    @Test
    void anIssuedCursorChangedInAnyWayIsA400Problem() {
        CatalogueFixtures.newBook();
        CatalogueFixtures.newBook();
        String issued = given().queryParam("limit", 1)
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(200)
                .body("next", notNullValue())
                .extract()
                .path("next");
        given().queryParam("limit", 1)
                .queryParam("cursor", issued)
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(200);

        assertBadCursor("/api/v1/books", issued.substring(0, issued.length() - 1));
        assertBadCursor("/api/v1/books", issued + "A");
        assertBadCursor("/api/v1/books", flipLastCharacter(issued));
        assertBadCursor("/api/v1/books", withItsKeyEditedByHand(issued));
        assertBadCursor("/api/v1/frameworks", issued);
    }

    /**
     * Without LECTERN_CURSOR_SECRET or a database password the built-in key signs, so anyone can sign a cursor; its keys
     * are still checked. An instant or date beyond what the columns hold reached the database (SQLSTATE 22008, a 500).
     * Signed here with the service's own key, as such a forger would.
     */
    @ParameterizedTest
    @CsvSource({
        "due, /api/v1/me/reviews/due, +294277-01-01T00:00:00Z",
        "due, /api/v1/me/reviews/due, -1000000000-01-01T00:00:00Z",
        "conversations, /api/v1/me/conversations, +294277-01-01T00:00:00Z",
        "tasks-created, /api/v1/me/tasks, +294277-01-01T00:00:00Z",
        "tasks-due, /api/v1/me/tasks?sort=due, +999999999-12-31",
        "generated, /api/v1/me/generated, +294277-01-01T00:00:00Z",
        "xapi-statements, /api/v1/me/xapi/statements, +294277-01-01T00:00:00Z"
    })
    void aSignedCursorWhoseKeyIsOutOfRangeIsA400Problem(String kind, String list, String key) {
        String cursor = Cursor.encode(kind, key, UUID.randomUUID());
        Callers.Caller learner = Callers.newUser();
        RestAssured.requestSpecification = null; // the learner's key alone, not the class's admin key before it

        learner.request()
                .queryParam("cursor", cursor)
                .when()
                .get(list)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors.field", contains("cursor"));
    }

    private static void assertBadCursor(String list, String cursor) {
        given().queryParam("cursor", cursor)
                .when()
                .get(list)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("errors.field", contains("cursor"));
    }

    private static String flipLastCharacter(String cursor) {
        char last = cursor.charAt(cursor.length() - 1);
        return cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    /** The issued cursor's text with its first key changed and the tag left as it was. */
    private static String withItsKeyEditedByHand(String issued) {
        byte[] bytes = Base64.getUrlDecoder().decode(issued);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int key = text.indexOf('\u001f', text.indexOf('\u001f') + 1) + 1;
        String changed = text.substring(0, key) + (text.charAt(key) == 'a' ? 'b' : 'a') + text.substring(key + 1);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes(StandardCharsets.ISO_8859_1));
    }
}
