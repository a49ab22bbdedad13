package dev.lectern.index.embed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.IndexFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.support.AsAdmin;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A search answers while the in-process model is busy embedding a large chapter: its query does not wait for the
 * chapter's remaining batches. Shown by state, not time: when the answer arrives, batches of the chapter are still
 * waiting for the model and none of its chunks is stored yet.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class SearchWhileIndexingTest {

    /**
     * Sections of about 80 words each, one chunk apiece: seven batches of 32, several seconds of embedding on two
     * threads, of which a query must wait for at most one passage per thread.
     */
    private static final int SECTIONS = 200;

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @Inject
    Embedder embedder;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private static String largeChapter() {
        StringBuilder md = new StringBuilder("---\ntitle: Field Notes\n---\n\nA robot's log, one section a day.\n");
        for (int day = 1; day <= SECTIONS; day++) {
            md.append("\n## Day ").append(day).append("\n\n");
            for (int sentence = 1; sentence <= 4; sentence++) {
                md.append("On day ")
                        .append(day)
                        .append(" the rover crossed field ")
                        .append(sentence)
                        .append(", logged soil moisture, charged its batteries in the sun and photographed ")
                        .append(day * 7 + sentence)
                        .append(" unusual stones. ");
            }
            md.append('\n');
        }
        return md.toString();
    }

    @Test
    void aSearchAnswersWhileALargeChapterIsStillBeingEmbedded() {
        String[] indexed = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        OnnxEmbedder model = (OnnxEmbedder) ClientProxy.unwrap(embedder);
        String large = CatalogueFixtures.putChapter(indexed[0], CatalogueFixtures.uniqueSlug("notes"), largeChapter())
                .statusCode(201)
                .extract()
                .path("id");
        worker.drain().subscribe().with(done -> {}, failure -> {}); // or the scheduled run takes it
        awaitIngestionUnderWay(model);

        JsonPath result = given().contentType(ContentType.JSON)
                .body(IndexFixtures.searchBody(
                        "How does a robot estimate its position from wheel encoders?", "dense", indexed[0]))
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        int backlog = model.ingestionBacklog();
        long stored = IndexFixtures.chunkCount(pool, large);

        assertThat(result.getString("hits[0].sectionTitle")).isEqualTo("Odometry");
        assertThat(backlog)
                .as("batches of the large chapter still waiting for the model when the search answered")
                .isPositive();
        assertThat(stored)
                .as("chunks of the large chapter stored when the search answered")
                .isZero();

        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(large));
        assertThat(IndexFixtures.chunkCount(pool, large)).isGreaterThanOrEqualTo(SECTIONS);
    }

    /** Until the chapter is chunked and its batches are with the embedder (the drain claims it, then chunks it). */
    private static void awaitIngestionUnderWay(OnnxEmbedder model) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (model.ingestionBacklog() == 0) {
            assertThat(System.nanoTime())
                    .as("the large chapter reached the embedder")
                    .isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
