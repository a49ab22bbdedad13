package dev.lectern.progress.study;

import static dev.lectern.support.Callers.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class EnrolmentTest {

    @Test
    void aLearnerEnrolsOnceInBooksAndSubjectsAndLeaves() {
        Callers.Caller me = Callers.newUser();
        String book = ProgressFixtures.publishedBook(1).slug();
        String framework = CatalogueFixtures.uniqueSlug("enrol");
        admin().contentType(ContentType.JSON)
                .body("{\"code\":\"" + framework + "\",\"name\":\"E\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(201);
        admin().contentType(ContentType.JSON)
                .body("{\"code\":\"maths\",\"name\":\"Maths\"}")
                .when()
                .post("/api/v1/frameworks/{f}/subjects", framework)
                .then()
                .statusCode(201);

        String id = me.request()
                .when()
                .put("/api/v1/me/enrolments/books/{b}", book)
                .then()
                .statusCode(201)
                .body("type", equalTo("book"))
                .body("book", equalTo(book))
                .extract()
                .path("id");
        me.request()
                .when()
                .put("/api/v1/me/enrolments/books/{b}", book)
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
        me.request()
                .when()
                .put("/api/v1/me/enrolments/subjects/{f}/{s}", framework, "maths")
                .then()
                .statusCode(201)
                .body("type", equalTo("subject"))
                .body("framework", equalTo(framework))
                .body("subject", equalTo("maths"));
        me.request()
                .when()
                .get("/api/v1/me/enrolments")
                .then()
                .statusCode(200)
                .body("items.type", contains("book", "subject"));
        Callers.newUser()
                .request()
                .when()
                .get("/api/v1/me/enrolments")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));

        me.request()
                .when()
                .delete("/api/v1/me/enrolments/books/{b}", book)
                .then()
                .statusCode(204);
        me.request()
                .when()
                .delete("/api/v1/me/enrolments/books/{b}", book)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        me.request()
                .when()
                .delete("/api/v1/me/enrolments/subjects/{f}/{s}", framework, "maths")
                .then()
                .statusCode(204);
        me.request().when().get("/api/v1/me/enrolments").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void unknownTargetsAre404AndAnonymousIs401() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .when()
                .put("/api/v1/me/enrolments/books/{b}", "no-such-book-e")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        me.request()
                .when()
                .put("/api/v1/me/enrolments/subjects/{f}/{s}", "no-fw", "no-subject")
                .then()
                .statusCode(404);
        Callers.anonymous().when().get("/api/v1/me/enrolments").then().statusCode(401);
    }
}
