package dev.lectern.catalogue.content;

import static dev.lectern.support.Callers.admin;
import static dev.lectern.support.Callers.anonymous;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Content writes need author or admin; published content is public; drafts are visible to authors only. */
@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class ContentAccessTest {

    @Test
    void learnersAndAnonymousCallersCannotWriteContent() {
        Callers.Caller learner = Callers.newUser();
        String book = CatalogueFixtures.uniqueSlug("locked");
        String body = "{\"slug\":\"" + book + "\",\"title\":\"Locked\"}";
        anonymous()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(401);
        learner.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        Callers.Caller author = Callers.newUser("author");
        author.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        learner.request()
                .contentType("text/markdown")
                .body("# T\n\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "c")
                .then()
                .statusCode(403);
        author.request()
                .contentType("text/markdown")
                .body("# T\n\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "c")
                .then()
                .statusCode(201);
        learner.request()
                .when()
                .delete("/api/v1/books/{b}/chapters/{c}", book, "c")
                .then()
                .statusCode(403);
        anonymous()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"x\",\"name\":\"X\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(401);
    }

    @Test
    void draftsAreHiddenFromReadersUntilPublished() {
        Callers.Caller author = Callers.newUser("author");
        String book = CatalogueFixtures.uniqueSlug("draft");
        author.request()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + book + "\",\"title\":\"Draft\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        author.request()
                .contentType("text/markdown")
                .body("---\ntitle: Open\n---\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "open")
                .then()
                .statusCode(201);
        author.request()
                .contentType("text/markdown")
                .body("---\ntitle: Hidden\ndraft: true\n---\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "hidden")
                .then()
                .statusCode(201);

        anonymous().when().get("/api/v1/books/{b}", book).then().statusCode(404);
        anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}", book, "open")
                .then()
                .statusCode(404);
        anonymous().when().get("/api/v1/books").then().statusCode(200).body("items.slug", not(hasItem(book)));
        author.request()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}", book, "hidden")
                .then()
                .statusCode(200);

        admin().contentType(ContentType.JSON)
                .body("{\"published\":true}")
                .when()
                .patch("/api/v1/books/{b}", book)
                .then()
                .statusCode(200);
        anonymous().when().get("/api/v1/books/{b}", book).then().statusCode(200);
        anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}", book, "open")
                .then()
                .statusCode(200);
        anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}", book, "hidden")
                .then()
                .statusCode(404);
        anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters", book)
                .then()
                .statusCode(200)
                .body("items.slug", hasItem("open"))
                .body("items.slug", not(hasItem("hidden")));
        Callers.newUser()
                .request()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}", book, "hidden")
                .then()
                .statusCode(404);
    }

    @Test
    void invalidCredentialsOnAPublicReadAreStillA401() {
        anonymous()
                .header("X-Api-Key", "garbage")
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(401);
    }
}
