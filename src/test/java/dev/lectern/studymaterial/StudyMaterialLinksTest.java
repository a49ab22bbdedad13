package dev.lectern.studymaterial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * generated_content links chapters and outcomes as arrays; V10's triggers give them what foreign keys give a link
 * table: only existing rows can be named, and a deleted chapter or outcome leaves the arrays.
 */
@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class StudyMaterialLinksTest {

    @Inject
    Pool pool;

    @Test
    void deletingAChapterOrAnOutcomeUnlinksIt() {
        Callers.Caller me = Callers.newUser();
        String book = CatalogueFixtures.uniqueSlug("links");
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + book + "\",\"title\":\"L\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        String kept = Callers.admin()
                .contentType("text/markdown")
                .body("# Kept\n\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "kept")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String gone = Callers.admin()
                .contentType("text/markdown")
                .body("# Gone\n\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "gone")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String framework = CatalogueFixtures.uniqueSlug("fw");
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"" + framework + "\",\"name\":\"F\"}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(201);
        for (String outcome : new String[] {"KEEP.1", "GONE.1"}) {
            Callers.admin()
                    .contentType(ContentType.JSON)
                    .body("{\"code\":\"" + outcome + "\",\"description\":\"O\"}")
                    .when()
                    .post("/api/v1/frameworks/{code}/outcomes", framework)
                    .then()
                    .statusCode(201);
        }
        var created = me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"links\",\"contentType\":\"summary\",\"audienceLevel\":\"university\",\"body\":{\"markdown\":\"x\"},"
                                + "\"chapterIds\":[\"" + gone + "\",\"" + kept + "\"],\"outcomes\":[\"" + framework
                                + "/GONE.1\",\"" + framework + "/KEEP.1\"]}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String id = created.getString("id");
        String goneOutcome = created.getList("outcomeIds", String.class).get(0);
        String keptOutcome = created.getList("outcomeIds", String.class).get(1);

        sql("DELETE FROM chapters WHERE id = $1", UUID.fromString(gone));
        sql("DELETE FROM outcomes WHERE id = $1", UUID.fromString(goneOutcome));

        var after = me.request()
                .when()
                .get("/api/v1/me/generated/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(after.getList("chapterIds", String.class)).containsExactly(kept);
        assertThat(after.getList("outcomeIds", String.class)).containsExactly(keptOutcome);
    }

    @Test
    void onlyExistingChaptersAndOutcomesCanBeLinked() {
        Callers.Caller me = Callers.newUser();
        for (String column : new String[] {"chapter_ids", "outcome_ids"}) {
            assertThatThrownBy(() -> pool.preparedQuery("""
                    INSERT INTO generated_content (id, user_id, topic, content_type, audience_level, body, word_count, reading_minutes, %s)
                    VALUES ($1, $2, 't', 'summary', 'university', '{}', 1, 1, $3)""".formatted(column))
                            .execute(Tuple.of(UUID.randomUUID(), me.id(), new UUID[] {UUID.randomUUID()}))
                            .await()
                            .atMost(Duration.ofSeconds(10)))
                    .as(column)
                    .isInstanceOf(PgException.class)
                    .satisfies(e -> assertThat(((PgException) e).getSqlState()).isEqualTo("23503"));
        }
    }

    private void sql(String statement, UUID id) {
        pool.preparedQuery(statement).execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10));
    }
}
