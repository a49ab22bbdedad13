package dev.lectern.progress;

import static dev.lectern.support.Callers.admin;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.Callers;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Shared by the progress tests: a published book with chapters of known reading time, and a review card. */
public final class ProgressFixtures {

    public record Book(String slug, List<UUID> chapterIds) {}

    private ProgressFixtures() {}

    /** A published book whose chapters have roughly the given reading minutes (200 words per minute). */
    public static Book publishedBook(int... minutes) {
        String slug = CatalogueFixtures.uniqueSlug("progress");
        admin().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Progress book\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            String body = "---\ntitle: Chapter " + (i + 1) + "\nsidebar_position: " + (i + 1) + "\n---\n## Part\n\n"
                    + "word ".repeat(minutes[i] * 200 - 3) + "\n";
            String id = admin().contentType("text/markdown")
                    .body(body)
                    .when()
                    .put("/api/v1/books/{b}/chapters/{c}", slug, "c" + (i + 1))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            ids.add(UUID.fromString(id));
        }
        return new Book(slug, ids);
    }

    /** A review item of the caller's with its own front and back, due now; answers its id. */
    public static String newCard(Callers.Caller me, String front) {
        return card(me, "{\"front\":\"" + front + "\",\"back\":\"answer\"}");
    }

    /** A new framework (its code is answered) with subject "s" and these outcome codes in it. */
    public static String framework(String prefix, String... outcomeCodes) {
        String framework = CatalogueFixtures.uniqueSlug(prefix);
        admin().contentType(ContentType.JSON)
                .body("{\"code\":\"" + framework + "\",\"name\":\"" + prefix + "\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(201);
        admin().contentType(ContentType.JSON)
                .body("{\"code\":\"s\",\"name\":\"S\"}")
                .when()
                .post("/api/v1/frameworks/{f}/subjects", framework)
                .then()
                .statusCode(201);
        for (String code : outcomeCodes) {
            admin().contentType(ContentType.JSON)
                    .body("{\"code\":\"" + code + "\",\"subject\":\"s\",\"description\":\"d\"}")
                    .when()
                    .post("/api/v1/frameworks/{f}/outcomes", framework)
                    .then()
                    .statusCode(201);
        }
        return framework;
    }

    /** A review item of the caller's for an outcome ("FRAMEWORK/CODE"), due now; answers its id. */
    public static String outcomeCard(Callers.Caller me, String outcome) {
        return card(me, "{\"outcome\":\"" + outcome + "\"}");
    }

    /** Reviews the caller's item with the rating; expects 200. */
    public static void review(Callers.Caller me, String item, String rating) {
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"rating\":\"" + rating + "\"}")
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", item)
                .then()
                .statusCode(200);
    }

    /** Starts a learning session of the caller's on no chapter; answers its id. */
    public static String newSession(Callers.Caller me) {
        return me.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/me/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Ends the caller's session; expects 200. */
    public static void endSession(Callers.Caller me, String session) {
        me.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/me/sessions/{id}/end", session)
                .then()
                .statusCode(200);
    }

    private static String card(Callers.Caller me, String body) {
        return me.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/me/review-items")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
