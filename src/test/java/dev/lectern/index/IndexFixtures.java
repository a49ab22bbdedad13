package dev.lectern.index;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/** Content for index tests, and a deterministic wait for the outbox to settle a chapter. */
public final class IndexFixtures {

    private IndexFixtures() {}

    public static final String ROBOTICS = """
            ---
            title: Robot Motion
            sidebar_position: 1
            difficulty: beginner
            ---
            Robots move by turning wheel speeds into motion across the floor.

            ## Differential drive

            A differential drive robot steers by spinning its left and right wheels at different speeds. Equal speeds drive
            it straight; opposite speeds spin it on the spot.

            ## Odometry

            Odometry estimates the robot's position by integrating wheel encoder ticks over time. Errors accumulate, so the
            estimate drifts and must be corrected with other sensors.

            ```python
            # integrate encoder ticks
            x += distance * cos(theta)
            ```

            ## Lidar scans

            A lidar measures distances with laser pulses and returns a scan of ranges around the robot, which mapping and
            localisation use to correct odometry drift.
            """;

    /** Creates a book with one chapter and waits until it is indexed; answers {book, chapter slug, chapter id}. */
    public static String[] indexedChapter(Pool pool, IndexWorker worker, String markdown) {
        String book = CatalogueFixtures.newBook();
        // Books start unpublished; readers (learners, anonymous callers) search published content only.
        io.restassured.RestAssured.given()
                .contentType("application/json")
                .body("{\"published\":true}")
                .when()
                .patch("/api/v1/books/{book}", book)
                .then()
                .statusCode(200);
        String slug = CatalogueFixtures.uniqueSlug("chapter");
        String id = CatalogueFixtures.putChapter(book, slug, markdown)
                .statusCode(201)
                .extract()
                .path("id");
        awaitIndexed(pool, worker, UUID.fromString(id));
        return new String[] {book, slug, id};
    }

    /**
     * How long a test waits for its chapter: a drain takes every chapter the earlier tests of the run left in the
     * outbox, embedded at 11-40 chunks/s depending on the machine's load, so a minute was too little on a busy machine.
     */
    private static final Duration INDEXING_WAIT = Duration.ofSeconds(240);

    /** Drains the outbox until no work for this chapter is left (a scheduled run may hold it meanwhile). */
    public static void awaitIndexed(Pool pool, IndexWorker worker, UUID chapterId) {
        long deadline = System.nanoTime() + INDEXING_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            worker.drain().await().atMost(INDEXING_WAIT);
            long waiting = pool.preparedQuery("SELECT count(*) FROM index_outbox WHERE chapter_id = $1")
                    .execute(Tuple.of(chapterId))
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .iterator()
                    .next()
                    .getLong(0);
            if (waiting == 0) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("chapter " + chapterId + " was not indexed within " + INDEXING_WAIT);
    }

    public static long chunkCount(Pool pool, String chapterId) {
        return pool.preparedQuery("SELECT count(*) FROM chunks WHERE chapter_id = $1")
                .execute(Tuple.of(UUID.fromString(chapterId)))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }

    public static String searchBody(String query, String mode, String book) {
        return "{\"query\":\"" + query + "\",\"mode\":\"" + mode + "\",\"limit\":5,\"filters\":{\"book\":\"" + book
                + "\"}}";
    }
}
