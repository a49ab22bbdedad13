package dev.lectern.index.vector;

import static dev.lectern.index.vector.VectorIndexContract.DIM;
import static dev.lectern.index.vector.VectorIndexContract.MODEL;
import static dev.lectern.index.vector.VectorIndexContract.await;
import static dev.lectern.index.vector.VectorIndexContract.point;
import static dev.lectern.index.vector.VectorIndexContract.v;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With {@code lectern.qdrant.url} set, the application's vector index is Qdrant and readiness reports it. */
@QuarkusTest
@WithTestResource(FakeQdrantResource.class)
class QdrantReadinessTest {

    @Inject
    VectorIndex index;

    @Test
    void theApplicationIndexesIntoQdrantAndReadinessReportsIt() {
        assertThat(index.kind()).isEqualTo("qdrant");
        await(index.recreate(MODEL, DIM));
        UUID id = UUID.randomUUID();
        await(index.upsert(List.of(point(id, v(0, 1, 0, 0)))));

        assertThat(await(index.search(v(0, 1, 0, 0), 3, VectorFilter.NONE)))
                .extracting(VectorHit::id)
                .containsExactly(id);
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'vector-index' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'vector-index' }.data.kind", equalTo("qdrant"))
                .body("checks.find { it.name == 'vector-index' }.data.reachable", equalTo(true))
                .body("checks.find { it.name == 'vector-index' }.data.points", equalTo(1));
    }
}
