package dev.lectern.index.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.IndexFixtures;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.index.vector.VectorIndexOutageResource;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Qdrant goes away while chapters are written: content keeps working, search answers 503 with Retry-After, the outbox
 * keeps every change, and once Qdrant is back the index converges: every live chunk present, no deleted one.
 */
@QuarkusTest
@WithTestResource(VectorIndexOutageResource.class)
@ExtendWith(AsAdmin.class)
class QdrantOutageTest {

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @Inject
    VectorIndex index;

    @Test
    void theIndexConvergesAfterAnOutageWithNothingLostAndNothingStale() {
        assertThat(index.kind()).isEqualTo("qdrant");
        String[] first = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        String book = first[0];
        String doomed = CatalogueFixtures.uniqueSlug("doomed");
        String doomedId = CatalogueFixtures.putChapter(
                        book, doomed, IndexFixtures.ROBOTICS.replace("Robot Motion", "Doomed"))
                .statusCode(201)
                .extract()
                .path("id");
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(doomedId));
        Set<UUID> doomedChunks = chunkIds(List.of(doomedId));
        assertThat(points(doomedChunks)).isEqualTo(doomedChunks.size());

        VectorIndexOutageResource.server().stop();
        try {
            // Writes keep working and are acknowledged: an edit, a new chapter and a deletion.
            CatalogueFixtures.putChapter(book, first[1], IndexFixtures.ROBOTICS.replace("laser pulses", "light pulses"))
                    .statusCode(200);
            String added = CatalogueFixtures.uniqueSlug("added");
            String addedId = CatalogueFixtures.putChapter(
                            book, added, IndexFixtures.ROBOTICS.replace("Robot Motion", "Added"))
                    .statusCode(201)
                    .extract()
                    .path("id");
            given().when()
                    .delete("/api/v1/books/{book}/chapters/{chapter}", book, doomed)
                    .then()
                    .statusCode(204);
            given().when()
                    .get("/api/v1/books/{book}/chapters/{chapter}", book, added)
                    .then()
                    .statusCode(200);

            worker.drain().await().atMost(Duration.ofSeconds(60));
            assertThat(outboxRows(List.of(first[2], addedId, doomedId)))
                    .as("the outbox keeps every change")
                    .isGreaterThanOrEqualTo(3);

            given().contentType(ContentType.JSON)
                    .body(IndexFixtures.searchBody("odometry", "hybrid", book))
                    .when()
                    .post("/api/v1/search")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("5"));
            given().contentType(ContentType.JSON)
                    .body(IndexFixtures.searchBody("odometry", "fulltext", book))
                    .when()
                    .post("/api/v1/search")
                    .then()
                    .statusCode(200);

            VectorIndexOutageResource.server().start();
            // Backoff in tests is capped at 2 s, so a few drains over some seconds converge.
            for (String id : List.of(first[2], addedId, doomedId)) {
                IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(id));
            }
            Set<UUID> live = chunkIds(List.of(first[2], addedId));
            assertThat(live).isNotEmpty();
            assertThat(points(live)).as("every live chunk is in the index").isEqualTo(live.size());
            assertThat(points(doomedChunks))
                    .as("no chunk of the deleted chapter is")
                    .isZero();
        } finally {
            VectorIndexOutageResource.server().start();
        }
        given().contentType(ContentType.JSON)
                .body(IndexFixtures.searchBody("light pulses lidar", "dense", book))
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .body("hits[0].sectionTitle", equalTo("Lidar scans"));
    }

    private Set<UUID> chunkIds(List<String> chapterIds) {
        Set<UUID> ids = new HashSet<>();
        for (Row r : pool.preparedQuery("SELECT id FROM chunks WHERE chapter_id = ANY($1)")
                .execute(Tuple.of(chapterIds.stream().map(UUID::fromString).toArray(UUID[]::new)))
                .await()
                .indefinitely()) {
            ids.add(r.getUUID(0));
        }
        return ids;
    }

    /** How many of these chunk ids the index holds, found by searching with each chunk's own stored vector. */
    private long points(Set<UUID> chunkIds) {
        long found = 0;
        for (Row r : pool.preparedQuery("SELECT id, embedding FROM chunks WHERE id = ANY($1)")
                .execute(Tuple.of(chunkIds.toArray(UUID[]::new)))
                .await()
                .indefinitely()) {
            float[] vector = IndexStore.vector(r, "embedding");
            List<UUID> hits = new ArrayList<>();
            index.search(vector, 50, dev.lectern.index.vector.VectorFilter.NONE)
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .forEach(h -> hits.add(h.id()));
            if (hits.contains(r.getUUID("id"))) {
                found++;
            }
        }
        return found;
    }

    private long outboxRows(List<String> chapterIds) {
        return pool.preparedQuery("SELECT count(*) FROM index_outbox WHERE chapter_id = ANY($1)")
                .execute(Tuple.of(chapterIds.stream().map(UUID::fromString).toArray(UUID[]::new)))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }
}
