package dev.lectern.catalogue.curriculum;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(AsAdmin.class)
class FrameworkResourceTest {

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aFrameworkKeepsItsStructureDocument() {
        String code = CatalogueFixtures.uniqueSlug("ngss");
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"name\":\"Science Standards\",\"country\":\"US\","
                        + "\"structure\":{\"levels\":[\"K-2\",\"3-5\"],\"strands\":{\"count\":3}}}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/frameworks/" + code))
                .body("structure.levels", contains("K-2", "3-5"))
                .body("isDefault", equalTo(false));
        given().when()
                .get("/api/v1/frameworks/{code}", code)
                .then()
                .statusCode(200)
                .body("name", equalTo("Science Standards"))
                .body("structure.strands.count", equalTo(3));
    }

    @Test
    void duplicateCodesConflictAndBadFieldsAre400() {
        String code = CatalogueFixtures.frameworkWithOutcomes();
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"name\":\"Again\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"has space\",\"name\":\"\",\"country\":\"usa\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("code"))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("country"));
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"ok\",\"name\":\"n\",\"structure\":[1,2]}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void onlyOneFrameworkIsTheDefault() {
        String first = CatalogueFixtures.uniqueSlug("def");
        String second = CatalogueFixtures.uniqueSlug("def");
        for (String code : new String[] {first, second}) {
            given().contentType(ContentType.JSON)
                    .body("{\"code\":\"" + code + "\",\"name\":\"D\",\"isDefault\":true}")
                    .when()
                    .post("/api/v1/frameworks")
                    .then()
                    .statusCode(201)
                    .body("isDefault", equalTo(true));
        }
        given().when().get("/api/v1/frameworks/{code}", first).then().body("isDefault", equalTo(false));
        given().when().get("/api/v1/frameworks/{code}", second).then().body("isDefault", equalTo(true));
    }

    @Test
    void subjectsAndOutcomesBelongToTheirFramework() {
        String code = CatalogueFixtures.frameworkWithOutcomes();
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"math\",\"name\":\"Mathematics\",\"config\":{\"hours\":120}}")
                .when()
                .post("/api/v1/frameworks/{code}/subjects", code)
                .then()
                .statusCode(201)
                .body("framework", equalTo(code))
                .body("config.hours", equalTo(120));
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"math\",\"name\":\"Again\"}")
                .when()
                .post("/api/v1/frameworks/{code}/subjects", code)
                .then()
                .statusCode(409);
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"art\",\"name\":\"Art\"}")
                .when()
                .post("/api/v1/frameworks/{code}/subjects", code)
                .then()
                .statusCode(201);

        given().contentType(ContentType.JSON)
                .body("{\"code\":\"M.1\",\"subject\":\"math\",\"description\":\"Add fractions\",\"stage\":\"KS2\"}")
                .when()
                .post("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(201)
                .body("subject", equalTo("math"))
                .body("stage", equalTo("KS2"));
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"A.1\",\"subject\":\"art\",\"description\":\"Mix colours\"}")
                .when()
                .post("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"G.1\",\"description\":\"General\"}")
                .when()
                .post("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(201)
                .body("subject", nullValue());

        given().when()
                .get("/api/v1/frameworks/{code}/subjects", code)
                .then()
                .statusCode(200)
                .body("items.code", contains("art", "math"));
        given().when()
                .get("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(200)
                .body("items.code", contains("A.1", "G.1", "M.1"))
                .body("items.subject", contains("art", null, "math"));
        given().queryParam("subject", "math")
                .when()
                .get("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(200)
                .body("items.code", contains("M.1"));
        given().queryParam("limit", 2)
                .when()
                .get("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("next", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void unknownSubjectsAndDuplicateOutcomesAreRejected() {
        String code = CatalogueFixtures.frameworkWithOutcomes("O.1");
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"O.2\",\"subject\":\"ghost\",\"description\":\"x\"}")
                .when()
                .post("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("subject"));
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"O.1\",\"description\":\"again\"}")
                .when()
                .post("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(409);
        given().queryParam("subject", "ghost")
                .when()
                .get("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"O.3\"}")
                .when()
                .post("/api/v1/frameworks/{code}/outcomes", code)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("description"));
    }

    @Test
    void unknownFrameworksAre404() {
        given().when()
                .get("/api/v1/frameworks/{code}", "no-such-fw")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().when()
                .get("/api/v1/frameworks/{code}/subjects", "no-such-fw")
                .then()
                .statusCode(404);
        given().when()
                .get("/api/v1/frameworks/{code}/outcomes", "no-such-fw")
                .then()
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"s\",\"name\":\"S\"}")
                .when()
                .post("/api/v1/frameworks/{code}/subjects", "no-such-fw")
                .then()
                .statusCode(404);
    }

    @Test
    void theFrameworkListPages() {
        CatalogueFixtures.frameworkWithOutcomes();
        CatalogueFixtures.frameworkWithOutcomes();
        String next = given().queryParam("limit", 1)
                .when()
                .get("/api/v1/frameworks")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .extract()
                .jsonPath()
                .getString("next");
        given().queryParam("limit", 1)
                .queryParam("cursor", next)
                .when()
                .get("/api/v1/frameworks")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        given().queryParam("cursor", next)
                .when()
                .get("/api/v1/books")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }
}
