package dev.lectern.xapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.platform.ExpiryPurge;
import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * xAPI statements end to end: events of a learner's reading, reviews and sessions arrive at a stub Learning Record
 * Store that checks their shape ({@link StubLrs}), through failures of the LRS, and the learner lists their own.
 */
@QuarkusTest
@TestProfile(XapiTest.WithLrs.class)
class XapiTest {

    public static class WithLrs implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StubLrs.class));
        }
    }

    private static final String VERBS = "http://adlnet.gov/expapi/verbs/";
    private static final String PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";

    @Inject
    ExpiryPurge purge;

    @Inject
    XapiWorker worker;

    @AfterEach
    void lrsIsUpAndNothingWasMalformed() {
        StubLrs.down = false;
        StubLrs.SCRIPT.clear();
        assertThat(StubLrs.PROBLEMS).isEmpty();
    }

    @Test
    void readingAChapterIsExperiencedThenProgressedThenCompleted() {
        String subject = "sso|reader-" + UUID.randomUUID();
        Callers.Caller me = Callers.newUserWithSubject(subject);
        ProgressFixtures.Book book = ProgressFixtures.publishedBook(1);
        UUID chapter = book.chapterIds().get(0);

        progress(me, chapter, 40);
        progress(me, chapter, 40); // no change: no statement
        progress(me, chapter, 100);

        List<JsonNode> stored = arrived(subject, 3);
        assertThat(stored)
                .extracting(s -> s.path("verb").path("id").asText())
                .containsExactly(VERBS + "experienced", VERBS + "progressed", VERBS + "completed");
        String activity = StubLrs.BASE + "/books/" + book.slug() + "/chapters/c1";
        assertThat(stored).allSatisfy(s -> {
            assertThat(s.path("object").path("id").asText()).isEqualTo(activity);
            assertThat(s.path("object")
                            .path("definition")
                            .path("name")
                            .path("en-US")
                            .asText())
                    .isEqualTo("Chapter 1");
            assertThat(s.path("actor").path("account").path("homePage").asText())
                    .isEqualTo(StubLrs.HOME_PAGE);
            assertThat(s.path("context")
                            .path("contextActivities")
                            .path("parent")
                            .path(0)
                            .path("id")
                            .asText())
                    .isEqualTo(StubLrs.BASE + "/books/" + book.slug());
        });
        assertThat(stored.get(1)
                        .path("result")
                        .path("extensions")
                        .path(PROGRESS)
                        .asInt())
                .isEqualTo(40);
        assertThat(stored.get(2).path("result").path("completion").asBoolean()).isTrue();
        assertThat(stored.get(2)
                        .path("result")
                        .path("extensions")
                        .path(PROGRESS)
                        .asInt())
                .isEqualTo(100);

        // The learner's list: newest first, each delivered, the statement exactly as the LRS got it.
        await(() -> statuses(me).equals(List.of("delivered", "delivered", "delivered")));
        JsonPath list = list(me, "");
        assertThat(list.getList("items.statement.verb.display.en-US"))
                .containsExactly("completed", "progressed", "experienced");
        assertThat(list.getString("items[0].id"))
                .isEqualTo(stored.get(2).path("id").asText());
        assertThat(list.getString("items[0].deliveredAt")).isNotNull();
    }

    @Test
    void aReviewIsAnsweredWithSuccessAndAScaledScore() {
        Callers.Caller me = Callers.newUser();
        String item = ProgressFixtures.newCard(me, "What does ros2 topic echo do?");
        ProgressFixtures.review(me, item, "good");
        ProgressFixtures.review(me, item, "again");

        List<JsonNode> stored = arrived(me.id().toString(), 2);
        assertThat(stored).allSatisfy(s -> {
            assertThat(s.path("verb").path("id").asText()).isEqualTo(VERBS + "answered");
            assertThat(s.path("object").path("id").asText()).isEqualTo(StubLrs.BASE + "/review-items/" + item);
            assertThat(s.path("object")
                            .path("definition")
                            .path("name")
                            .path("en-US")
                            .asText())
                    .isEqualTo("What does ros2 topic echo do?");
        });
        assertThat(stored.get(0).path("result").path("success").asBoolean()).isTrue();
        assertThat(stored.get(0).path("result").path("score").path("scaled").asDouble())
                .isEqualTo(0.6667);
        assertThat(stored.get(0).path("result").path("response").asText()).isEqualTo("good");
        assertThat(stored.get(1).path("result").path("success").asBoolean()).isFalse();
        assertThat(stored.get(1).path("result").path("score").path("scaled").asDouble())
                .isEqualTo(0.0);
    }

    @Test
    void aSessionIsInitializedAndTerminatedWithItsDuration() {
        Callers.Caller me = Callers.newUser();
        String session = ProgressFixtures.newSession(me);
        ProgressFixtures.endSession(me, session);

        List<JsonNode> stored = arrived(me.id().toString(), 2);
        assertThat(stored)
                .extracting(s -> s.path("verb").path("id").asText())
                .containsExactly(VERBS + "initialized", VERBS + "terminated");
        assertThat(stored)
                .allSatisfy(s -> assertThat(s.path("object").path("id").asText())
                        .isEqualTo(StubLrs.BASE + "/sessions/" + session));
        assertThat(stored.get(1).path("result").path("duration").asText()).matches("PT\\d+S");
    }

    @Test
    void statementsTheLrsCouldNotTakeAreSentAgainWithTheSameId() {
        Callers.Caller me = Callers.newUser();
        StubLrs.SCRIPT.add(503);
        StubLrs.SCRIPT.add(503);
        int posts = StubLrs.POSTS.get();
        ProgressFixtures.newSession(me);

        List<JsonNode> stored = arrived(me.id().toString(), 1);
        assertThat(StubLrs.POSTS.get() - posts).isGreaterThanOrEqualTo(3);
        assertThat(StubLrs.SCRIPT).isEmpty();
        assertThat(list(me, "").getString("items[0].id"))
                .isEqualTo(stored.get(0).path("id").asText());
        await(() -> statuses(me).equals(List.of("delivered")));
    }

    @Test
    void aStatementTheLrsAlreadyHoldsIsDeliveredWhenItAnswers409() {
        Callers.Caller me = Callers.newUser();
        // The LRS stores the batch but the answer is lost (503): the retry gets 409 for ids it holds.
        StubLrs.SCRIPT.add(StubLrs.STORE_THEN_503);
        ProgressFixtures.newSession(me);

        arrived(me.id().toString(), 1);
        await(() -> statuses(me).equals(List.of("delivered")));
        assertThat(StubLrs.of(me.id().toString())).hasSize(1);
    }

    @Test
    void aStatementTheLrsRefusesIsParkedAndDoesNotBlockTheOthers() {
        Callers.Caller me = Callers.newUser();
        StubLrs.down = true; // queued while the LRS is down, then sent together or one by one
        String refused = ProgressFixtures.newCard(me, StubLrs.REFUSE + " a card the LRS will not store");
        String fine = ProgressFixtures.newCard(me, "a card the LRS stores");
        ProgressFixtures.review(me, refused, "good");
        ProgressFixtures.review(me, fine, "easy");
        ProgressFixtures.newSession(me);
        StubLrs.down = false;

        List<JsonNode> stored = arrived(me.id().toString(), 2);
        assertThat(stored)
                .extracting(s -> s.path("object").path("id").asText())
                .containsExactly(
                        StubLrs.BASE + "/review-items/" + fine, StubLrs.BASE + "/sessions/" + sessionOf(stored));
        await(() -> statuses(me).equals(List.of("delivered", "delivered", "rejected")));
        // Later statements are not held up by the parked one.
        ProgressFixtures.newSession(me);
        arrived(me.id().toString(), 3);
    }

    @Test
    void aLearnerListsOnlyTheirOwnStatementsAndAnonymousCallersNone() {
        Callers.Caller me = Callers.newUser();
        Callers.Caller other = Callers.newUser();
        ProgressFixtures.newSession(me);
        assertThat(list(me, "").getList("items")).hasSize(1);
        assertThat(list(other, "").getList("items")).isEmpty();
        Callers.anonymous()
                .when()
                .get("/api/v1/me/xapi/statements")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void statementsArePagedNewestFirstAndBadPagingIsAProblem() {
        Callers.Caller me = Callers.newUser();
        List<String> sessions = List.of(
                ProgressFixtures.newSession(me), ProgressFixtures.newSession(me), ProgressFixtures.newSession(me));
        JsonPath first = list(me, "?limit=2");
        assertThat(first.getList("items")).hasSize(2);
        assertThat(first.getString("items[0].statement.object.id")).endsWith(sessions.get(2));
        assertThat(first.getString("items[1].statement.object.id")).endsWith(sessions.get(1));
        JsonPath second = list(me, "?limit=2&cursor=" + first.getString("next"));
        assertThat(second.getList("items")).hasSize(1);
        assertThat(second.getString("items[0].statement.object.id")).endsWith(sessions.get(0));
        assertThat(second.getString("next")).isNull();

        for (String query : List.of("?limit=0", "?limit=101", "?limit=x", "?cursor=garbage", "?cursor=")) {
            me.request()
                    .when()
                    .get("/api/v1/me/xapi/statements" + query)
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
    }

    @Test
    void erasureRemovesQueuedStatements() throws Exception {
        Callers.Caller me = Callers.newUser();
        StubLrs.down = true;
        ProgressFixtures.newSession(me);
        ProgressFixtures.review(me, ProgressFixtures.newCard(me, "forget me"), "hard");
        assertThat(rows(me.id(), "queued")).isEqualTo(2);
        me.request().when().delete("/api/v1/me").then().statusCode(204);
        assertThat(rows(me.id(), null)).isZero();
    }

    @Test
    void deliveredStatementsArePurgedOnceTheRetentionHasPassed() throws Exception {
        Callers.Caller me = Callers.newUser();
        ProgressFixtures.newSession(me);
        ProgressFixtures.newSession(me);
        await(() -> statuses(me).equals(List.of("delivered", "delivered")));
        try (Connection c = TestDatabase.connect();
                PreparedStatement s = c.prepareStatement("""
                        UPDATE xapi_statements SET expires_at = now() - interval '1 second'
                         WHERE id = (SELECT id FROM xapi_statements WHERE user_id = ? ORDER BY id LIMIT 1)""")) {
            s.setObject(1, me.id());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        purge.purge().await().atMost(Duration.ofSeconds(30));
        assertThat(rows(me.id(), "delivered")).isEqualTo(1);
    }

    @Test
    void workersDrainingAtOnceSendEachStatementOnce() throws Exception {
        Callers.Caller me = Callers.newUser();
        StubLrs.down = true;
        for (int i = 0; i < 10; i++) {
            ProgressFixtures.newSession(me);
        }
        StubLrs.down = false;
        // Three drains at once beside the scheduled one, as replicas would: claims are disjoint.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> worker.drain().await().atMost(Duration.ofSeconds(30))));
            }
            for (java.util.concurrent.Future<Integer> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdown();
        }
        List<JsonNode> stored = arrived(me.id().toString(), 10);
        assertThat(stored)
                .allSatisfy(s -> assertThat(StubLrs.RECEIVED.get(s.path("id").asText()))
                        .as("times the LRS received " + s.path("id").asText())
                        .isEqualTo(1));
        await(() -> statuses(me).stream().allMatch("delivered"::equals));
    }

    static void progress(Callers.Caller me, UUID chapter, int percent) {
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"percent\":" + percent + "}")
                .when()
                .put("/api/v1/me/progress/chapters/{id}", chapter)
                .then()
                .statusCode(200);
    }

    private static String sessionOf(List<JsonNode> stored) {
        String id = stored.get(1).path("object").path("id").asText();
        return id.substring(id.lastIndexOf('/') + 1);
    }

    private static JsonPath list(Callers.Caller me, String query) {
        return me.request()
                .when()
                .get("/api/v1/me/xapi/statements" + query)
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.notNullValue())
                .extract()
                .jsonPath();
    }

    private static List<String> statuses(Callers.Caller me) {
        return list(me, "").getList("items.status");
    }

    /** Waits until the LRS holds {@code count} statements of the actor, and answers them oldest first. */
    private static List<JsonNode> arrived(String actorName, int count) {
        await(() -> StubLrs.of(actorName).size() >= count);
        List<JsonNode> stored = StubLrs.of(actorName);
        assertThat(stored).as("statements of " + actorName).hasSize(count);
        return stored;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s; LRS answered " + StubLrs.ANSWERED);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Rows of the user's in the outbox, of the status when given. */
    static int rows(UUID userId, String status) throws Exception {
        try (Connection c = TestDatabase.connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM xapi_statements WHERE user_id = ? AND (?::text IS NULL OR status = ?)")) {
            s.setObject(1, userId);
            s.setString(2, status);
            s.setString(3, status);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
