package dev.lectern.catalogue.content;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(AsAdmin.class)
class BookResourceTest {

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aCreatedBookCanBeReadBack() {
        String slug = CatalogueFixtures.uniqueSlug("algebra");
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug
                        + "\",\"title\":\"Algebra\",\"description\":\"Intro\",\"language\":\"ur\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/books/" + slug))
                .body("slug", equalTo(slug))
                .body("language", equalTo("ur"))
                .body("published", equalTo(true))
                .body("id", notNullValue());

        given().when()
                .get("/api/v1/books/{book}", slug)
                .then()
                .statusCode(200)
                .body("title", equalTo("Algebra"))
                .body("description", equalTo("Intro"));
    }

    @Test
    void languageDefaultsToEnglishAndBooksStartUnpublished() {
        String slug = CatalogueFixtures.uniqueSlug("defaults");
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Defaults\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201)
                .body("language", equalTo("en"))
                .body("published", equalTo(false));
    }

    @Test
    void aSecondBookWithTheSameSlugIsAConflict() {
        String slug = CatalogueFixtures.newBook();
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Again\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", containsString(slug));
    }

    @Test
    void invalidFieldsAreReportedOneByOne() {
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"Not A Slug\",\"title\":\"  \",\"language\":\"english\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lectern.dev/problems/validation"))
                .body("errors.field", hasItem("slug"))
                .body("errors.field", hasItem("title"))
                .body("errors.field", hasItem("language"))
                .body("detail", not(containsString("Exception")));
    }

    @Test
    void unknownJsonPropertiesAreRejected() {
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"x-unknown\",\"title\":\"T\",\"colour\":\"red\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("colour"))
                .body("detail", containsString("colour"));
    }

    @Test
    void malformedJsonIsA400NotA500() {
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"x\", ")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"));
    }

    @Test
    void aWrongFieldTypeIsA400() {
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"typed\",\"title\":\"T\",\"published\":\"maybe\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("published"));
    }

    @Test
    void aMissingBodyIsA400() {
        given().contentType(ContentType.JSON)
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aWrongContentTypeIsA415() {
        given().contentType(ContentType.XML)
                .body("<book/>")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void anUnknownBookIsA404Problem() {
        given().when()
                .get("/api/v1/books/{book}", "no-such-book-anywhere")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no-such-book-anywhere"));
    }

    @Test
    void aMalformedSlugInThePathIsA400() {
        given().when()
                .get("/api/v1/books/{book}", "Bad_Slug")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("book"));
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        String slug = CatalogueFixtures.newBook();
        given().contentType(ContentType.JSON)
                .body("{\"title\":\"Renamed\",\"published\":true}")
                .when()
                .patch("/api/v1/books/{book}", slug)
                .then()
                .statusCode(200)
                .body("title", equalTo("Renamed"))
                .body("published", equalTo(true))
                .body("language", equalTo("en"))
                .body("version", equalTo(1));

        given().contentType(ContentType.JSON)
                .body("{\"title\":\"\"}")
                .when()
                .patch("/api/v1/books/{book}", slug)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("title"));
    }

    @Test
    void aDeletedBookDisappearsAndFreesItsSlug() {
        String slug = CatalogueFixtures.newBook();
        given().when().delete("/api/v1/books/{book}", slug).then().statusCode(204);
        given().when().get("/api/v1/books/{book}", slug).then().statusCode(404);
        given().when().delete("/api/v1/books/{book}", slug).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Reborn\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
    }

    @Test
    void theBookListPagesThroughEveryBookExactlyOnce() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(CatalogueFixtures.newBook());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when()
                    .get("/api/v1/books")
                    .then()
                    .statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(2))
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.slug"));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null && pages < 10_000);
        org.assertj.core.api.Assertions.assertThat(seen)
                .containsAll(created)
                .doesNotHaveDuplicates()
                .isSorted();
    }

    @Test
    void theLastPageEndsWithTheLastBookAndANullCursor() {
        String last = "zzzz-" + java.util.UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + last + "\",\"title\":\"Last\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        // Earlier runs against the same database may have left "zzzz-" books that sort after this one, so the
        // test checks that the last page ends with the greatest slug seen, and that its own book was seen.
        String cursor = null;
        List<String> lastPage;
        List<String> seen = new ArrayList<>();
        int pages = 0;
        do {
            var request = given().queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when()
                    .get("/api/v1/books")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            lastPage = page.getList("items.slug");
            seen.addAll(lastPage);
            cursor = page.getString("next");
        } while (cursor != null && ++pages < 10_000);
        org.assertj.core.api.Assertions.assertThat(cursor).isNull();
        org.assertj.core.api.Assertions.assertThat(seen).contains(last);
        org.assertj.core.api.Assertions.assertThat(lastPage).isNotEmpty().endsWith(java.util.Collections.max(seen));
    }

    @Test
    void limitsOutsideOneToHundredAndBadCursorsAre400() {
        given().queryParam("limit", 0)
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        given().queryParam("limit", 101).when().get("/api/v1/books").then().statusCode(400);
        given().queryParam("limit", "lots")
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("cursor", "garbage!")
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void unknownPathsAndMethodsAnswerWithProblems() {
        given().when().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
        given().when().put("/api/v1/books").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void listItemsCarryNoInternalFields() {
        CatalogueFixtures.newBook();
        given().when()
                .get("/api/v1/books")
                .then()
                .statusCode(200)
                .body("items[0]", not(org.hamcrest.Matchers.hasKey("deletedAt")))
                .body("items", not(hasSize(0)));
    }
}
