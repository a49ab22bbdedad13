package dev.lectern.catalogue.content;

import static dev.lectern.catalogue.CatalogueFixtures.chapter;
import static dev.lectern.catalogue.CatalogueFixtures.putChapter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(AsAdmin.class)
class ChapterResourceTest {

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aChapterUploadedAsMarkdownIsServedWithItsOrderedSections() {
        String book = CatalogueFixtures.newBook();
        String md = """
                ---
                title: "Nodes and Topics"
                sidebar_position: 2
                difficulty: intermediate
                summary: How nodes talk.
                author: Ada
                ---
                Intro text.

                ## Publishers

                A publisher sends.

                ```bash
                # not a heading
                ros2 topic echo /chatter
                ```

                | a | b |
                |---|---|
                | 1 | 2 |

                ## Subscribers {#subs}

                A subscriber receives.
                """;
        putChapter(book, "nodes", md)
                .statusCode(201)
                .header("ETag", notNullValue())
                .header("Location", containsString("/api/v1/books/" + book + "/chapters/nodes"))
                .body("title", equalTo("Nodes and Topics"))
                .body("number", equalTo(2))
                .body("difficulty", equalTo("intermediate"))
                .body("author", equalTo("Ada"))
                .body("estimatedReadingMinutes", equalTo(1))
                .body("sections", hasSize(3))
                .body("sections.anchor", contains("introduction", "publishers", "subs"));

        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "nodes")
                .then()
                .statusCode(200)
                .body("book", equalTo(book))
                .body("sections.number", contains(1, 2, 3))
                .body("sections.title", contains("Introduction", "Publishers", "Subscribers"))
                .body("sections[1].body", containsString("```bash\n# not a heading\nros2 topic echo /chatter\n```"))
                .body("sections[1].body", containsString("| 1 | 2 |"));
    }

    @Test
    void resendingIdenticalContentChangesNothing() {
        String book = CatalogueFixtures.newBook();
        String md = chapter("Stable", 1, "beginner", 2);
        var first = putChapter(book, "stable", md).statusCode(201).extract();
        var second = putChapter(book, "stable", md).statusCode(200).extract();
        assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(second.jsonPath().getLong("version"))
                .isEqualTo(first.jsonPath().getLong("version"));
        assertThat(second.jsonPath().getString("updatedAt"))
                .isEqualTo(first.jsonPath().getString("updatedAt"));
    }

    @Test
    void changedContentMovesTheVersionAndTheETagAndReplacesSections() {
        String book = CatalogueFixtures.newBook();
        var first = putChapter(book, "moving", chapter("Moving", 1, "beginner", 3))
                .statusCode(201)
                .extract();
        var second = putChapter(book, "moving", chapter("Moving", 1, "advanced", 1))
                .statusCode(200)
                .body("difficulty", equalTo("advanced"))
                .body("sections", hasSize(2))
                .extract();
        assertThat(second.jsonPath().getLong("version"))
                .isGreaterThan(first.jsonPath().getLong("version"));
        assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));
    }

    @Test
    void aMatchingIfNoneMatchGetsA304() {
        String book = CatalogueFixtures.newBook();
        String etag = putChapter(book, "cached", chapter("Cached", 1, "beginner", 1))
                .statusCode(201)
                .extract()
                .header("ETag");
        given().header("If-None-Match", etag)
                .when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "cached")
                .then()
                .statusCode(304)
                .header("ETag", equalTo(etag));
        given().header("If-None-Match", "W/" + etag + ", \"other\"")
                .when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "cached")
                .then()
                .statusCode(304);
        given().header("If-None-Match", "\"stale\"")
                .when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "cached")
                .then()
                .statusCode(200)
                .header("ETag", equalTo(etag));
    }

    @Test
    void withoutANumberAChapterGoesAfterTheLastOne() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "seven", chapter("Seven", 7, "beginner", 1)).statusCode(201);
        putChapter(book, "next", "---\ntitle: Next\n---\nText.\n")
                .statusCode(201)
                .body("number", equalTo(8));
    }

    @Test
    void theListIsOrderedByNumberAndPagesWithoutGapsOrRepeats() {
        String book = CatalogueFixtures.newBook();
        int[] numbers = {5, 1, 3, 3, 2, 4, 1};
        for (int i = 0; i < numbers.length; i++) {
            putChapter(book, "c" + i, chapter("Chapter " + i, numbers[i], "beginner", 1))
                    .statusCode(201);
        }
        List<Integer> seen = new ArrayList<>();
        List<String> slugs = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when()
                    .get("/api/v1/books/{book}/chapters", book)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.number", Integer.class));
            slugs.addAll(page.getList("items.slug"));
            cursor = page.getString("next");
        } while (cursor != null);
        assertThat(seen).containsExactly(1, 1, 2, 3, 3, 4, 5);
        assertThat(slugs).hasSize(7).doesNotHaveDuplicates();
    }

    @Test
    void theListFiltersByDifficultyAndOutcome() {
        String framework = CatalogueFixtures.frameworkWithOutcomes("F.1", "F.2");
        String book = CatalogueFixtures.newBook();
        putChapter(book, "a", chapter("A", 1, "beginner", 1, framework + "/F.1"))
                .statusCode(201)
                .body("outcomes", contains("F.1"));
        putChapter(book, "b", chapter("B", 2, "advanced", 1, framework + "/F.1", framework + "/F.2"))
                .statusCode(201);
        putChapter(book, "c", chapter("C", 3, "advanced", 1)).statusCode(201);

        given().queryParam("difficulty", "advanced")
                .when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .statusCode(200)
                .body("items.slug", contains("b", "c"));
        given().queryParam("outcome", "F.1")
                .when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .statusCode(200)
                .body("items.slug", contains("a", "b"))
                .body("items[1].outcomes", contains("F.1", "F.2"));
        given().queryParam("outcome", "F.2")
                .queryParam("difficulty", "beginner")
                .when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .statusCode(200)
                .body("items", hasSize(0))
                .body("next", nullValue());
        given().queryParam("difficulty", "expert")
                .when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("difficulty"));
    }

    @Test
    void aSoftDeletedChapterIsGoneUntilRestored() {
        String book = CatalogueFixtures.newBook();
        String md = chapter("Gone", 1, "beginner", 1);
        putChapter(book, "gone", md).statusCode(201);
        given().when()
                .delete("/api/v1/books/{book}/chapters/{chapter}", book, "gone")
                .then()
                .statusCode(204);
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "gone")
                .then()
                .statusCode(404);
        given().when().get("/api/v1/books/{book}/chapters", book).then().body("items", hasSize(0));
        putChapter(book, "gone", md)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("restore"));

        given().when()
                .post("/api/v1/books/{book}/chapters/{chapter}/restore", book, "gone")
                .then()
                .statusCode(200)
                .body("slug", equalTo("gone"))
                .body("sections", hasSize(2));
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "gone")
                .then()
                .statusCode(200);
        given().when().get("/api/v1/books/{book}/chapters", book).then().body("items.slug", contains("gone"));
    }

    @Test
    void deletingOrRestoringAnUnknownChapterIsA404() {
        String book = CatalogueFixtures.newBook();
        given().when()
                .delete("/api/v1/books/{book}/chapters/{chapter}", book, "nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().when()
                .post("/api/v1/books/{book}/chapters/{chapter}/restore", book, "nope")
                .then()
                .statusCode(404);
    }

    @Test
    void chaptersOfAnUnknownBookAre404() {
        putChapter("no-such-book-x", "a", chapter("A", 1, "beginner", 1))
                .statusCode(404)
                .contentType("application/problem+json");
        given().when()
                .get("/api/v1/books/{book}/chapters", "no-such-book-x")
                .then()
                .statusCode(404);
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", "no-such-book-x", "a")
                .then()
                .statusCode(404);
    }

    @Test
    void chaptersOfADeletedBookAreGone() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "a", chapter("A", 1, "beginner", 1)).statusCode(201);
        given().when().delete("/api/v1/books/{book}", book).then().statusCode(204);
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "a")
                .then()
                .statusCode(404);
    }

    @Test
    void badFrontMatterIsA400WithFieldErrors() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "bad", "---\ndifficulty: expert\nsidebar_position: first\n---\nNo title here.\n")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("title"))
                .body("errors.field", hasItem("difficulty"))
                .body("errors.field", hasItem("sidebar_position"));
    }

    @Test
    void anUnknownOutcomeIsA400() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "x", chapter("X", 1, "beginner", 1, "NOPE.404"))
                .statusCode(400)
                .body("errors[0].field", equalTo("outcomes"))
                .body("errors[0].message", containsString("NOPE.404"));
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "x")
                .then()
                .statusCode(404);
    }

    @Test
    void emptyWronglyTypedAndOversizeBodiesAreRejected() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "empty", "  \n").statusCode(400).contentType("application/problem+json");
        given().contentType("text/plain")
                .body("# Hi\n")
                .when()
                .put("/api/v1/books/{book}/chapters/{chapter}", book, "plain")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        String huge = "---\ntitle: Huge\n---\n" + "word ".repeat(1_100_000);
        putChapter(book, "huge", huge)
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("5242880"));
    }

    @Test
    void aMalformedChapterSlugIsA400() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "Not_OK", chapter("A", 1, "beginner", 1))
                .statusCode(400)
                .body("errors[0].field", equalTo("chapter"));
    }

    /** A slug longer than chapters_slug_check allows reached the INSERT and came back as a 400 naming no field. */
    @Test
    void aChapterSlugLongerThanAHundredCharactersIsA400NamingIt() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "x".repeat(101), chapter("A", 1, "beginner", 1))
                .statusCode(400)
                .body("errors[0].field", equalTo("chapter"));
    }
}
