package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Input PostgreSQL cannot store (NUL, unpaired surrogates, instants outside its range) and input a strict JSON API does
 * not accept (coerced scalars, duplicate keys, empty parameters) are refused with a 400 problem naming the field, never
 * stored and never a 500.
 */
@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class HostileInputTest {

    private static ValidatableResponse refused(ValidatableResponse response, String field) {
        return response.statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
    }

    private static ValidatableResponse postJson(RequestSpecification caller, String path, String json) {
        return caller.contentType(ContentType.JSON).body(json).when().post(path).then();
    }

    // --- text PostgreSQL cannot store ---

    @Test
    void nulInAJsonStringIsRefusedNamingTheField() {
        refused(
                postJson(
                        Callers.admin(),
                        "/api/v1/admin/users",
                        "{\"displayName\":\"a\\u0000b\",\"roles\":[\"learner\"]}"),
                "displayName");
        Callers.Caller me = Callers.newUser();
        refused(
                postJson(me.request(), "/api/v1/me/tasks", "{\"title\":\"t\",\"tags\":[\"ok\",\"x\\u0000\"]}"),
                "tags[1]");
        refused(postJson(me.request(), "/api/v1/me/api-keys", "{\"name\":\"k\\u0000\"}"), "name");
    }

    @Test
    void nulInFreeFormJsonIsRefusedWithItsPath() {
        Callers.Caller me = Callers.newUser();
        String generated = "{\"topic\":\"t\",\"contentType\":\"flashcards\",\"audienceLevel\":\"university\","
                + "\"body\":{\"cards\":[{\"front\":\"f\",\"back\":\"b\\u0000\"}]}}";
        refused(postJson(me.request(), "/api/v1/me/generated", generated), "body.cards[0].back");
        String key = "{\"topic\":\"t\",\"contentType\":\"summary\",\"audienceLevel\":\"university\","
                + "\"body\":{\"markdown\":\"m\"},\"sourcePrompts\":{\"p\\u0000\":\"x\"}}";
        refused(postJson(me.request(), "/api/v1/me/generated", key), "sourcePrompts");
    }

    @Test
    void unpairedSurrogatesAreRefusedAndPairsAccepted() {
        for (String query : new String[] {"\\ud800", "a\\udc00b", "\\udc00\\ud800", "x\\ud83d"}) {
            refused(
                    postJson(given(), "/api/v1/search", "{\"query\":\"" + query + "\",\"mode\":\"fulltext\"}"),
                    "query");
        }
        postJson(given(), "/api/v1/search", "{\"query\":\"robots \\ud83e\\udd16\",\"mode\":\"fulltext\"}")
                .statusCode(200);
    }

    @Test
    void nulInMarkdownIsRefused() {
        String book = newBook();
        Callers.admin()
                .contentType("text/markdown")
                .body("---\ntitle: Nul\n---\n\n## Part\n\nA \u0000 byte.\n")
                .when()
                .put("/api/v1/books/{book}/chapters/{chapter}", book, "nul")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("body"));
    }

    @Test
    void nulInQueryAndPathParametersIsRefusedNamingTheParameter() {
        Callers.Caller me = Callers.newUser();
        refused(
                me.request()
                        .queryParam("q", "a\u0000b")
                        .when()
                        .get("/api/v1/me/generated")
                        .then(),
                "q");
        refused(
                me.request()
                        .queryParam("tag", "\u0000")
                        .when()
                        .get("/api/v1/me/tasks")
                        .then(),
                "tag");
        String framework = CatalogueFixtures.uniqueSlug("fw");
        postJson(Callers.admin(), "/api/v1/frameworks", "{\"code\":\"" + framework + "\",\"name\":\"Framework\"}")
                .statusCode(201);
        refused(
                given().queryParam("subject", "s\u0000")
                        .when()
                        .get("/api/v1/frameworks/{code}/outcomes", framework)
                        .then(),
                "subject");
        refused(given().when().get("/api/v1/frameworks/{code}", "a\u0000b").then(), "code");
        refused(
                given().when()
                        .get("/api/v1/books/{book}/chapters/{chapter}", "b", "c\u0000")
                        .then(),
                "chapter");
    }

    // --- instants and dates ---

    @Test
    void reviewedAtOutsideItsRangeIsRefused() {
        Callers.Caller me = Callers.newUser();
        String item = ProgressFixtures.newCard(me, "range");
        for (String at :
                new String[] {"-1000000000-01-01T00:00:00Z", "-4714-01-01T00:00:00Z", "1969-12-31T23:59:59Z"}) {
            refused(
                    postJson(
                            me.request(),
                            "/api/v1/me/review-items/" + item + "/reviews",
                            "{\"rating\":\"good\",\"reviewedAt\":\"" + at + "\"}"),
                    "reviewedAt");
        }
        // Nothing was stored: the item and the export still read.
        me.request().when().get("/api/v1/me/review-items/{id}", item).then().statusCode(200);
        me.request().when().get("/api/v1/me/export").then().statusCode(200);
    }

    @Test
    void instantsAndDatesBeyondWhatTheColumnsHoldAreRefused() {
        Callers.Caller me = Callers.newUser();
        refused(
                me.request()
                        .queryParam("before", "+294277-01-01T00:00:00Z")
                        .when()
                        .get("/api/v1/me/reviews/due")
                        .then(),
                "before");
        refused(
                postJson(
                        me.request(),
                        "/api/v1/me/api-keys",
                        "{\"name\":\"k\",\"expiresAt\":\"+1000000000-12-31T23:59:59Z\"}"),
                "expiresAt");
        for (String date : new String[] {"-999999999-01-01", "+999999999-12-31", "0000-12-31", "+10000-01-01"}) {
            refused(
                    postJson(me.request(), "/api/v1/me/tasks", "{\"title\":\"t\",\"dueDate\":\"" + date + "\"}"),
                    "dueDate");
        }
        refused(
                me.request()
                        .queryParam("dueAfter", "-999999999-01-01")
                        .when()
                        .get("/api/v1/me/tasks")
                        .then(),
                "dueAfter");
        refused(
                me.request()
                        .queryParam("dueBefore", "+999999999-12-31")
                        .when()
                        .get("/api/v1/me/tasks")
                        .then(),
                "dueBefore");
        refused(
                me.request()
                        .queryParam("dueBefore", "soon")
                        .when()
                        .get("/api/v1/me/tasks")
                        .then(),
                "dueBefore");
        postJson(me.request(), "/api/v1/me/tasks", "{\"title\":\"t\",\"dueDate\":\"9999-12-31\"}")
                .statusCode(201)
                .body("dueDate", equalTo("9999-12-31"));
    }

    // --- strict JSON ---

    @Test
    void scalarsAreNotCoerced() {
        refused(postJson(Callers.admin(), "/api/v1/admin/users", "{\"displayName\":12345}"), "displayName");
        refused(postJson(Callers.admin(), "/api/v1/books", "{\"slug\":\"coerced\",\"title\":true}"), "title");
        refused(
                postJson(Callers.admin(), "/api/v1/books", "{\"slug\":\"coerced\",\"title\":\"T\",\"published\":1}"),
                "published");
        refused(
                postJson(
                        Callers.admin(),
                        "/api/v1/books",
                        "{\"slug\":\"coerced\",\"title\":\"T\",\"published\":\"true\"}"),
                "published");
        refused(postJson(given(), "/api/v1/search", "{\"query\":\"robots\",\"limit\":0.5}"), "limit");
        refused(postJson(given(), "/api/v1/search", "{\"query\":\"robots\",\"limit\":\"5\"}"), "limit");
    }

    @Test
    void duplicateKeysAreRefused() {
        refused(
                postJson(Callers.admin(), "/api/v1/books", "{\"slug\":\"dup\",\"title\":\"A\",\"title\":\"B\"}"),
                "title");
        Callers.Caller me = Callers.newUser();
        String generated = "{\"topic\":\"t\",\"contentType\":\"summary\",\"audienceLevel\":\"university\","
                + "\"body\":{\"markdown\":\"a\",\"markdown\":\"b\"}}";
        refused(postJson(me.request(), "/api/v1/me/generated", generated), "body.markdown");
    }

    @Test
    void emptyQueryParametersAndLooseBooleansAreRefused() {
        refused(given().queryParam("limit", "").when().get("/api/v1/books").then(), "limit");
        Callers.Caller me = Callers.newUser();
        refused(
                me.request()
                        .queryParam("completed", "maybe")
                        .when()
                        .get("/api/v1/me/tasks")
                        .then(),
                "completed");
        refused(
                me.request()
                        .queryParam("overdue", "1")
                        .when()
                        .get("/api/v1/me/tasks")
                        .then(),
                "overdue");
        refused(
                me.request()
                        .queryParam("includeCompleted", "yes")
                        .when()
                        .get("/api/v1/me/progress/recent")
                        .then(),
                "includeCompleted");
        me.request()
                .queryParam("completed", "false")
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .statusCode(200);
    }

    @Test
    void anEmptyIdempotencyKeyIsRefused() {
        Callers.Caller me = Callers.newUser();
        refused(
                me.request()
                        .header(Idempotency.HEADER, "")
                        .contentType(ContentType.JSON)
                        .body("{\"title\":\"empty key\"}")
                        .when()
                        .post("/api/v1/me/tasks")
                        .then(),
                Idempotency.HEADER);
        me.request().when().get("/api/v1/me/tasks").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aConversationNeedsABody() {
        Callers.Caller me = Callers.newUser();
        for (String body : new String[] {"", "null"}) {
            postJson(me.request(), "/api/v1/me/conversations", body)
                    .statusCode(400)
                    .contentType(Problem.MEDIA_TYPE);
        }
        me.request()
                .when()
                .get("/api/v1/me/conversations")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
    }

    @Test
    void aNullRoleIsRefused() {
        Callers.Caller me = Callers.newUser();
        refused(postJson(me.request(), "/api/v1/me/api-keys", "{\"name\":\"k\",\"roles\":[null]}"), "roles[0]");
        refused(
                postJson(
                        Callers.admin(),
                        "/api/v1/admin/users/" + me.id() + "/api-keys",
                        "{\"name\":\"k\",\"roles\":[null]}"),
                "roles[0]");
        refused(
                postJson(Callers.admin(), "/api/v1/admin/users", "{\"displayName\":\"n\",\"roles\":[null]}"),
                "roles[0]");
    }

    // --- validation cost ---

    @Test
    void thousandsOfItemsAreRefusedBeforeTheirElementsAreValidated() {
        String outcomes = String.join(",", Collections.nCopies(16_000, "\"\""));
        var search = postJson(
                        given(), "/api/v1/search", "{\"query\":\"q\",\"filters\":{\"outcomes\":[" + outcomes + "]}}")
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("filters.outcomes"))
                .body("errors[0].message", equalTo("must have at most 100 items"))
                .extract();
        assertThat(search.body().asString().length()).isLessThan(1_000);

        Callers.Caller me = Callers.newUser();
        String roles = String.join(",", Collections.nCopies(16_000, "\"wizard\""));
        refused(postJson(me.request(), "/api/v1/me/api-keys", "{\"name\":\"k\",\"roles\":[" + roles + "]}"), "roles")
                .body("errors", hasSize(1));
    }

    @Test
    void aProblemListsTheFirstTwentyErrorsAndCountsThemAll() {
        String outcomes = String.join(",", Collections.nCopies(100, "\"\""));
        postJson(given(), "/api/v1/search", "{\"query\":\"q\",\"filters\":{\"outcomes\":[" + outcomes + "]}}")
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors", hasSize(Problem.MAX_ERRORS))
                .body("errorCount", equalTo(100))
                .body("errors[0].field", equalTo("filters.outcomes[0]"))
                .body("detail", org.hamcrest.Matchers.endsWith("and 80 more"));
        // A problem with few errors lists them all.
        postJson(given(), "/api/v1/search", "{\"query\":\"\"}")
                .statusCode(400)
                .body("errors", hasSize(1))
                .body("errorCount", equalTo(1));
    }

    private static String newBook() {
        String slug = CatalogueFixtures.uniqueSlug("hostile");
        postJson(Callers.admin(), "/api/v1/books", "{\"slug\":\"" + slug + "\",\"title\":\"Hostile input\"}")
                .statusCode(201);
        return slug;
    }
}
