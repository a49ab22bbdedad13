package dev.lectern.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** GDPR erasure leaves no trace of the user anywhere in the database. */
@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class ErasureTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @jakarta.inject.Inject
    Erasures erasure;

    @Test
    void erasingMyselfRemovesEveryRowThatMentionsMe() throws Exception {
        Callers.Caller me = Callers.newUser();
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"email\":\"erase-" + UUID.randomUUID()
                        + "@example.org\",\"profile\":{\"learningGoals\":\"forget me\"}}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"second\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201);
        String item = me.request()
                .contentType(ContentType.JSON)
                .body("{\"front\":\"erase me\"}")
                .when()
                .post("/api/v1/me/review-items")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"rating\":\"good\"}")
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", item)
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"desiredRetention\":0.8,\"maximumIntervalDays\":100}")
                .when()
                .put("/api/v1/me/review-settings")
                .then()
                .statusCode(200);
        String chapter = dev.lectern.support.Callers.admin()
                .when()
                .get("/api/v1/books/{b}/chapters", publishedBookWithAChapter())
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"percent\":10,\"timeSpentSeconds\":5,\"eventId\":\"" + UUID.randomUUID() + "\"}")
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200);
        me.request()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "erase-" + me.id())
                .body("{\"title\":\"erase\",\"tags\":[\"x\"]}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(201);
        me.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/me/sessions")
                .then()
                .statusCode(201);
        String conversation = me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"erase\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"role\":\"user\",\"content\":\"forget\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", conversation)
                .then()
                .statusCode(201);
        me.request()
                .contentType(ContentType.JSON)
                .body(dev.lectern.studymaterial.StudyMaterialTest.FLASHCARDS)
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(201);
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"personal\"}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", chapter)
                .then()
                .statusCode(200);
        assertThat(tablesMentioning(me.id()))
                .contains(
                        "generated_content",
                        "personalized_content",
                        "idempotency_keys",
                        "conversations",
                        "messages",
                        "study_tasks",
                        "learning_sessions",
                        "users",
                        "user_profiles",
                        "api_keys",
                        "review_items",
                        "review_logs",
                        "review_settings",
                        "reading_progress",
                        "progress_events");

        me.request().when().delete("/api/v1/me").then().statusCode(204);

        assertThat(tablesMentioning(me.id())).isEmpty();
        me.request().when().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void erasureRemovesWhatAServiceAndAnAdminWroteOnTheLearnersBehalf() throws Exception {
        Callers.Caller learner = Callers.newUser();
        String marker = "erasure-marker-" + UUID.randomUUID();
        Callers.Caller service = Callers.newUser("service");
        String item = retried(
                        service.request().header("X-On-Behalf-Of", learner.id().toString()))
                .body("{\"front\":\"" + marker + " front\"}")
                .post("/api/v1/me/review-items")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        retried(service.request().header("X-On-Behalf-Of", learner.id().toString()))
                .body("{\"title\":\"" + marker + " chat\"}")
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201);
        String session = learner.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/me/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // An admin acts on the learner's item and session by id, with retry keys: the kept responses are the learner's.
        Callers.Caller admin = Callers.newUser("admin");
        retried(admin.request())
                .body("{\"rating\":\"good\"}")
                .post("/api/v1/me/review-items/{id}/reviews", item)
                .then()
                .statusCode(200);
        retried(admin.request())
                .body("{\"itemsReviewed\":1}")
                .post("/api/v1/me/sessions/{id}/heartbeat", session)
                .then()
                .statusCode(200);
        assertThat(tablesMentioning(marker)).contains("review_items", "conversations", "idempotency_keys");

        long analysed = analyseCount("users");
        Callers.admin()
                .when()
                .delete("/api/v1/admin/users/{id}", learner.id())
                .then()
                .statusCode(204);

        assertThat(tablesMentioning(learner.id().toString())).isEmpty();
        assertThat(tablesMentioning(marker)).isEmpty();
        assertThat(tablesMentioning(session)).isEmpty();
        // The planner's statistics are refreshed, so pg_stats stops holding the learner's values.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (analyseCount("users") == analysed && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(analyseCount("users")).isGreaterThan(analysed);
        assertThat(analyseCount("idempotency_keys")).isPositive();
    }

    /** A JSON request with a new Idempotency-Key. */
    private static io.restassured.specification.RequestSpecification retried(
            io.restassured.specification.RequestSpecification request) {
        return request.header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON);
    }

    /** How often the table was analysed by hand (autovacuum's runs are counted apart). */
    private long analyseCount(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theErasureTokenCannotBeDerivedFromTheUserIdAlone() throws Exception {
        UUID id = UUID.randomUUID();
        String naive = java.util.HexFormat.of()
                .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                                .digest(("lectern-erasure:" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        0,
                        8);
        assertThat(erasure.token(id)).hasSize(16).isNotEqualTo(naive).isEqualTo(erasure.token(id));
        assertThat(erasure.token(UUID.randomUUID())).isNotEqualTo(erasure.token(id));
    }

    private static String publishedBookWithAChapter() {
        String book = dev.lectern.catalogue.CatalogueFixtures.uniqueSlug("erase");
        dev.lectern.support.Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + book + "\",\"title\":\"E\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        dev.lectern.support.Callers.admin()
                .contentType("text/markdown")
                .body("# E\n\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "e")
                .then()
                .statusCode(201);
        return book;
    }

    /** Every table of the public schema whose rows, as text, contain the id: a scan that needs no list of columns. */
    private List<String> tablesMentioning(UUID id) throws Exception {
        return tablesMentioning(id.toString());
    }

    /** Every table of the public schema whose rows, as text, contain the string (letters, digits and dashes). */
    private List<String> tablesMentioning(String id) throws Exception {
        assertThat(id).matches("[A-Za-z0-9-]+");
        List<String> hits = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM \"" + table + "\" t WHERE t::text LIKE '%" + id + "%'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        hits.add(table);
                    }
                }
            }
        }
        return hits;
    }
}
