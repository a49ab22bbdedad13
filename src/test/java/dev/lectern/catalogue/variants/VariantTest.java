package dev.lectern.catalogue.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.lectern.platform.ExpiryPurge;
import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class VariantTest {

    @Inject
    ExpiryPurge purge;

    @Inject
    Pool pool;

    private record Chapter(String book, String slug, String id, String hash) {}

    private static Chapter publishedChapter() {
        String book = dev.lectern.catalogue.CatalogueFixtures.uniqueSlug("variant");
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + book + "\",\"title\":\"V\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        var created = Callers.admin()
                .contentType("text/markdown")
                .body("# V\n\nfirst version\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "v")
                .then()
                .statusCode(201)
                .extract();
        return new Chapter(book, "v", created.path("id"), created.path("contentHash"));
    }

    @Test
    void aPersonalisedChapterIsServedWhileFreshThenReportedStale() {
        Callers.Caller me = Callers.newUser();
        Chapter chapter = publishedChapter();
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"Explained for a beginner\",\"model\":\"m\"}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(200)
                .body("sourceContentHash", equalTo(chapter.hash()));
        me.request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(200)
                .body("body", equalTo("Explained for a beginner"));
        Callers.newUser()
                .request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(404);

        Callers.admin()
                .contentType("text/markdown")
                .body("# V\n\nsecond version\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", chapter.book(), chapter.slug())
                .then()
                .statusCode(200);
        me.request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lectern.dev/problems/variant-stale"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"old\",\"sourceContentHash\":\"" + chapter.hash() + "\"}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(409);
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"x\"}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void anExpiredVariantIsReportedAndPurged() throws InterruptedException {
        Callers.Caller me = Callers.newUser();
        Chapter chapter = publishedChapter();
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"short-lived\",\"ttlSeconds\":60}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(200);
        // Age it instead of waiting a minute.
        pool.query("UPDATE personalized_content SET expires_at = now() - interval '1 second' WHERE chapter_id = '"
                        + chapter.id() + "'")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(5));
        me.request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(404)
                .body("type", equalTo("https://lectern.dev/problems/variant-expired"));
        assertThat(purge.purge().await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1L);
        long left = pool.query(
                        "SELECT count(*) AS n FROM personalized_content WHERE chapter_id = '" + chapter.id() + "'")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong("n");
        assertThat(left).isZero();
        me.request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter.id())
                .then()
                .statusCode(404)
                .body("type", equalTo("https://lectern.dev/problems/not-found"));
    }

    @Test
    void translationsCarryTheirDirectionAndFollowTheSource() {
        Chapter chapter = publishedChapter();
        Callers.Caller service = Callers.newUser("service");
        service.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"عنوان\",\"body\":\"اردو متن\"}")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "ur")
                .then()
                .statusCode(200)
                .body("textDirection", equalTo("rtl"))
                .body("language", equalTo("ur"));
        Callers.anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "ur")
                .then()
                .statusCode(200)
                .body("body", equalTo("اردو متن"))
                .body("textDirection", equalTo("rtl"));
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Titel\",\"body\":\"Text\"}")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "de")
                .then()
                .statusCode(200)
                .body("textDirection", equalTo("ltr"));
        Callers.newUser()
                .request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"body\":\"b\"}")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "fr")
                .then()
                .statusCode(403);
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"body\":\"b\"}")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "Urdu!")
                .then()
                .statusCode(400);

        Callers.admin()
                .contentType("text/markdown")
                .body("# V\n\nrevised\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", chapter.book(), chapter.slug())
                .then()
                .statusCode(200);
        Callers.anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "ur")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://lectern.dev/problems/variant-stale"));
        Callers.anonymous()
                .when()
                .get("/api/v1/books/{b}/chapters/{c}/translations/{lang}", chapter.book(), chapter.slug(), "ja")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://lectern.dev/problems/not-found"));
    }

    @Test
    void operatorStatsAreForAdminsOnly() {
        Callers.admin()
                .when()
                .get("/api/v1/admin/stats")
                .then()
                .statusCode(200)
                .body("tableBytes.chapters", org.hamcrest.Matchers.greaterThan(0))
                .body("activeUsers30Days", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("contentGeneratedToday", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
        Callers.newUser().request().when().get("/api/v1/admin/stats").then().statusCode(403);
        Callers.anonymous().when().get("/api/v1/admin/stats").then().statusCode(401);
    }
}
