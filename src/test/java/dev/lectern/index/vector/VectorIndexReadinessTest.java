package dev.lectern.index.vector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without QDRANT_URL the application serves the in-process index and readiness reports it. */
@QuarkusTest
class VectorIndexReadinessTest {

    @Test
    void readinessReportsTheInProcessVectorIndex() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'vector-index' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'vector-index' }.data.kind", equalTo("in-process"))
                .body("checks.find { it.name == 'vector-index' }.data.reachable", equalTo(true));
    }
}
