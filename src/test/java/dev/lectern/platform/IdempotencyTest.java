package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on the POSTs whose duplicates would hurt: replay, refusal of reuse, in-progress, release, expiry. */
@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class IdempotencyTest {

    @Inject
    Pool pool;

    @Inject
    ExpiryPurge purge;

    private static ExtractableResponse<Response> post(Callers.Caller me, String key, String path, String json) {
        var request = me.request().contentType(ContentType.JSON).body(json);
        if (key != null) {
            request.header(Idempotency.HEADER, key);
        }
        return request.when().post(path).then().extract();
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aRetriedCreateAnswersTheFirstResponseAndCreatesNothing() {
        Callers.Caller me = Callers.newUser();
        String key = newKey();
        String title = "Read QoS " + key;
        var first = post(me, key, "/api/v1/me/tasks", "{\"title\":\"" + title + "\"}");
        var again = post(me, key, "/api/v1/me/tasks", "{\"title\":\"" + title + "\"}");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header(Idempotency.REPLAYED)).isNull();
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.contentType()).startsWith("application/json");
        assertThat(again.jsonPath().getMap("")).isEqualTo(first.jsonPath().getMap(""));
        me.request()
                .queryParam("limit", 100)
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .statusCode(200)
                .body("items.findAll { it.title == '" + title + "' }", hasSize(1));
        // Without a key every POST runs.
        post(me, null, "/api/v1/me/tasks", "{\"title\":\"" + title + "\"}");
        me.request()
                .queryParam("limit", 100)
                .when()
                .get("/api/v1/me/tasks")
                .then()
                .statusCode(200)
                .body("items.findAll { it.title == '" + title + "' }", hasSize(2));
    }

    @Test
    void aRetriedReviewIsAppliedOnce() {
        Callers.Caller me = Callers.newUser();
        String item = post(me, null, "/api/v1/me/review-items", "{\"front\":\"Q\",\"back\":\"A\"}")
                .path("id");
        String key = newKey();
        String path = "/api/v1/me/review-items/" + item + "/reviews";
        var first = post(me, key, path, "{\"rating\":\"good\"}");
        var again = post(me, key, path, "{\"rating\":\"good\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.header(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(again.jsonPath().getInt("reps")).isEqualTo(1);
        me.request()
                .when()
                .get("/api/v1/me/review-items/{id}", item)
                .then()
                .statusCode(200)
                .body("reps", equalTo(1));
        // A new key is a new review.
        post(me, newKey(), path, "{\"rating\":\"good\"}");
        me.request()
                .when()
                .get("/api/v1/me/review-items/{id}", item)
                .then()
                .statusCode(200)
                .body("reps", equalTo(2));
    }

    @Test
    void everyGuardedPostReplays() {
        Callers.Caller me = Callers.newUser();
        for (String[] call : new String[][] {
            {"/api/v1/me/review-items", "{\"front\":\"Q\",\"back\":\"A\"}"},
            {"/api/v1/me/conversations", "{\"title\":\"About QoS\"}"},
            {
                "/api/v1/me/generated",
                "{\"topic\":\"QoS\",\"contentType\":\"summary\",\"audienceLevel\":\"university\","
                        + "\"body\":{\"markdown\":\"QoS decides delivery.\"},\"qualityScore\":0.5}"
            },
            {"/api/v1/me/sessions", "{}"}
        }) {
            String key = newKey();
            var first = post(me, key, call[0], call[1]);
            var again = post(me, key, call[0], call[1]);
            assertThat(first.statusCode()).as(call[0]).isEqualTo(201);
            assertThat(again.statusCode()).as(call[0]).isEqualTo(201);
            assertThat(again.header(Idempotency.REPLAYED)).as(call[0]).isEqualTo("true");
            assertThat(again.jsonPath().getString("id"))
                    .as(call[0])
                    .isEqualTo(first.jsonPath().getString("id"));
        }
    }

    @Test
    void aRetriedHeartbeatCountsOnceAndARetriedEndIsNotAConflict() {
        Callers.Caller me = Callers.newUser();
        String session = post(me, null, "/api/v1/me/sessions", "{}").path("id");
        String key = newKey();
        String heartbeat = "/api/v1/me/sessions/" + session + "/heartbeat";
        post(me, key, heartbeat, "{\"itemsReviewed\":3}");
        var again = post(me, key, heartbeat, "{\"itemsReviewed\":3}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.jsonPath().getInt("itemsReviewed")).isEqualTo(3);
        String end = "/api/v1/me/sessions/" + session + "/end";
        String endKey = newKey();
        assertThat(post(me, endKey, end, "{\"itemsReviewed\":1}").statusCode()).isEqualTo(200);
        var endAgain = post(me, endKey, end, "{\"itemsReviewed\":1}");
        assertThat(endAgain.statusCode()).isEqualTo(200);
        assertThat(endAgain.jsonPath().getInt("itemsReviewed")).isEqualTo(4);
        // Without the key, ending twice is still a conflict.
        assertThat(post(me, null, end, "{}").statusCode()).isEqualTo(409);
    }

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Test
    void outcomesAreCounted() {
        Callers.Caller me = Callers.newUser();
        double run = counted("run");
        double replayed = counted("replayed");
        double reused = counted("reused");
        String key = newKey();
        post(me, key, "/api/v1/me/tasks", "{\"title\":\"counted\"}");
        post(me, key, "/api/v1/me/tasks", "{\"title\":\"counted\"}");
        post(me, key, "/api/v1/me/tasks", "{\"title\":\"other\"}");
        assertThat(counted("run")).isEqualTo(run + 1);
        assertThat(counted("replayed")).isEqualTo(replayed + 1);
        assertThat(counted("reused")).isEqualTo(reused + 1);
    }

    private double counted(String outcome) {
        var counter = metrics.find("lectern.idempotency.requests")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theSameKeyOnAnotherRequestIs422() {
        Callers.Caller me = Callers.newUser();
        String key = newKey();
        assertThat(post(me, key, "/api/v1/me/tasks", "{\"title\":\"One\"}").statusCode())
                .isEqualTo(201);
        var other = post(me, key, "/api/v1/me/tasks", "{\"title\":\"Two\"}");
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.contentType()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(other.jsonPath().getString("type")).isEqualTo(Problem.TYPE_BASE + "idempotency-key-reused");
        assertThat(other.jsonPath().getString("errors[0].field")).isEqualTo(Idempotency.HEADER);
        var otherPath = post(me, key, "/api/v1/me/conversations", "{\"title\":\"One\"}");
        assertThat(otherPath.statusCode()).isEqualTo(422);
    }

    @Test
    void keysBelongToTheirUser() {
        Callers.Caller me = Callers.newUser();
        Callers.Caller other = Callers.newUser();
        String key = newKey();
        var mine = post(me, key, "/api/v1/me/tasks", "{\"title\":\"Same\"}");
        var theirs = post(other, key, "/api/v1/me/tasks", "{\"title\":\"Same\"}");
        assertThat(theirs.statusCode()).isEqualTo(201);
        assertThat(theirs.header(Idempotency.REPLAYED)).isNull();
        assertThat(theirs.jsonPath().getString("id"))
                .isNotEqualTo(mine.jsonPath().getString("id"));
        // Another user's key does not reveal the owner's item either.
        other.request().when().get(mine.header("Location")).then().statusCode(404);
    }

    @Test
    void aServiceActingForUsersHasAKeySpacePerUser() {
        Callers.Caller service = Callers.newUser("service");
        Callers.Caller alice = Callers.newUser();
        Callers.Caller bob = Callers.newUser();
        String key = newKey();
        var forAlice = service.request()
                .header("X-On-Behalf-Of", alice.id().toString())
                .header(Idempotency.HEADER, key)
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Chat summary\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract();
        var forBob = service.request()
                .header("X-On-Behalf-Of", bob.id().toString())
                .header(Idempotency.HEADER, key)
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Chat summary\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract();
        assertThat(forBob.header(Idempotency.REPLAYED)).isNull();
        assertThat(forBob.jsonPath().getString("id"))
                .isNotEqualTo(forAlice.jsonPath().getString("id"));
        var aliceAgain = service.request()
                .header("X-On-Behalf-Of", alice.id().toString())
                .header(Idempotency.HEADER, key)
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Chat summary\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract();
        assertThat(aliceAgain.header(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(aliceAgain.jsonPath().getString("id"))
                .isEqualTo(forAlice.jsonPath().getString("id"));
        alice.request()
                .when()
                .get("/api/v1/me/conversations/{id}", forAlice.jsonPath().getString("id"))
                .then()
                .statusCode(200);
        bob.request()
                .when()
                .get("/api/v1/me/conversations/{id}", forAlice.jsonPath().getString("id"))
                .then()
                .statusCode(404);
    }

    @Test
    void malformedKeysAre400AndQuotedKeysWork() {
        Callers.Caller me = Callers.newUser();
        for (String bad : new String[] {"\"\"", "x".repeat(256), "with space", "caf\u00e9"}) {
            var response = me.request()
                    .contentType(ContentType.JSON)
                    .header(Idempotency.HEADER, bad)
                    .body("{\"title\":\"t\"}")
                    .when()
                    .post("/api/v1/me/tasks")
                    .then()
                    .extract();
            assertThat(response.statusCode()).as("key '%s'", bad).isEqualTo(400);
            assertThat(response.contentType()).isEqualTo(Problem.MEDIA_TYPE);
            assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo(Idempotency.HEADER);
        }
        String key = newKey();
        var bare = post(me, key, "/api/v1/me/tasks", "{\"title\":\"quoted\"}");
        var quoted = post(me, "\"" + key + "\"", "/api/v1/me/tasks", "{\"title\":\"quoted\"}");
        assertThat(quoted.header(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(quoted.jsonPath().getString("id")).isEqualTo(bare.jsonPath().getString("id"));
    }

    @Test
    void aKeyStillInProgressIs409WithRetryAfterUntilItsLockLapses() {
        Callers.Caller me = Callers.newUser();
        String key = newKey();
        String title = "In progress " + key;
        // Claim the key as a first request would, then ask with the same request.
        var first = post(me, key, "/api/v1/me/tasks", "{\"title\":\"" + title + "\"}");
        sql(
                "UPDATE idempotency_keys SET status = NULL, body = NULL, locked_until = now() + interval '1 minute' "
                        + "WHERE user_id = $1 AND key = $2",
                me.id(),
                key);
        var busy = post(me, key, "/api/v1/me/tasks", "{\"title\":\"" + title + "\"}");
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(busy.contentType()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(busy.header("Retry-After")).isEqualTo("1");
        assertThat(busy.jsonPath().getString("type")).isEqualTo(Problem.TYPE_BASE + "idempotency-key-in-progress");
        // The first request died (its lock lapsed): a retry runs the request again.
        sql(
                "UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE user_id = $1 AND key = $2",
                me.id(),
                key);
        var retried = post(me, key, "/api/v1/me/tasks", "{\"title\":\"" + title + "\"}");
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.header(Idempotency.REPLAYED)).isNull();
        assertThat(retried.jsonPath().getString("id"))
                .isNotEqualTo(first.jsonPath().getString("id"));
    }

    @Test
    void aFailedRequestReleasesItsKey() {
        Callers.Caller me = Callers.newUser();
        String key = newKey();
        String missing = "/api/v1/me/review-items/" + UUID.randomUUID() + "/reviews";
        assertThat(post(me, key, missing, "{\"rating\":\"good\"}").statusCode()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE user_id = $1 AND key = $2", me.id(), key))
                .isZero();
        // Validation failures never reach the key at all.
        assertThat(post(me, key, "/api/v1/me/tasks", "{\"title\":\"\"}").statusCode())
                .isEqualTo(400);
        assertThat(post(me, key, "/api/v1/me/tasks", "{\"title\":\"after a failure\"}")
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void expiredKeysRunAgainAndArePurged() {
        Callers.Caller me = Callers.newUser();
        String key = newKey();
        var first = post(me, key, "/api/v1/me/tasks", "{\"title\":\"expiring\"}");
        sql(
                "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND key = $2",
                me.id(),
                key);
        var later = post(me, key, "/api/v1/me/tasks", "{\"title\":\"expiring\"}");
        assertThat(later.statusCode()).isEqualTo(201);
        assertThat(later.header(Idempotency.REPLAYED)).isNull();
        assertThat(later.jsonPath().getString("id"))
                .isNotEqualTo(first.jsonPath().getString("id"));

        String old = newKey();
        post(me, old, "/api/v1/me/tasks", "{\"title\":\"old\"}");
        sql(
                "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND key = $2",
                me.id(),
                old);
        assertThat(purge.purge().await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1L);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE user_id = $1 AND key = $2", me.id(), old))
                .isZero();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE user_id = $1 AND key = $2", me.id(), key))
                .isOne();
    }

    @Inject
    Idempotency idempotency;

    @Test
    void aCallerThatGoesAwayDoesNotStrandItsKey() {
        Callers.Caller me = Callers.newUser();
        String key = newKey();
        // A slow request whose subscriber cancels at once, as the REST layer does when the client disconnects.
        idempotency
                .once(
                        key,
                        me.id(),
                        "POST /test",
                        "body",
                        () -> Uni.createFrom()
                                .item(jakarta.ws.rs.core.Response.status(201)
                                        .entity(java.util.Map.of("done", true))
                                        .build())
                                .onItem()
                                .delayIt()
                                .by(Duration.ofMillis(300)))
                .subscribe()
                .with(r -> {}, f -> {})
                .cancel();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count(
                        "SELECT count(*) FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status = 201",
                        me.id(),
                        key)
                == 0) {
            assertThat(System.nanoTime()).as("the response was never kept").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(20).toNanos());
        }
        // The retry gets the kept response.
        var replay = idempotency
                .once(
                        key,
                        me.id(),
                        "POST /test",
                        "body",
                        () -> Uni.createFrom().failure(new AssertionError("ran twice")))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertThat(replay.getStatus()).isEqualTo(201);
        assertThat(replay.getHeaderString(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(replay.getEntity()).isEqualTo("{\"done\":true}");
    }

    @Test
    void theHeaderIsDocumentedOnEveryGuardedPost() {
        var openapi = io.restassured.RestAssured.given()
                .queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (String path : new String[] {
            "/api/v1/me/tasks",
            "/api/v1/me/sessions",
            "/api/v1/me/sessions/{id}/heartbeat",
            "/api/v1/me/sessions/{id}/end",
            "/api/v1/me/review-items",
            "/api/v1/me/review-items/{id}/reviews",
            "/api/v1/me/conversations",
            "/api/v1/me/generated"
        }) {
            String operation = "paths.'" + path + "'.post";
            assertThat(openapi.getString(operation + ".parameters.find { it.name == 'Idempotency-Key' }.in"))
                    .as(path)
                    .isEqualTo("header");
            assertThat(openapi.getString(operation + ".responses.'422'.description"))
                    .as(path)
                    .contains("Idempotency-Key");
            assertThat(openapi.getString(operation + ".responses.'409'.description"))
                    .as(path)
                    .contains("Idempotency-Key");
            String success = openapi.getMap(operation + ".responses").keySet().stream()
                    .map(String::valueOf)
                    .filter(code -> code.startsWith("2"))
                    .findFirst()
                    .orElseThrow();
            assertThat(openapi.getString(
                            operation + ".responses.'" + success + "'.headers.'Idempotent-Replayed'.description"))
                    .as(path)
                    .isNotBlank();
        }
        // Endpoints without the header are left alone.
        assertThat(openapi.getString("paths.'/api/v1/me/api-keys'.post.responses.'422'"))
                .isNull();
    }

    @Test
    void onePurgeRunKeepsUpWithManyExpiredKeys() {
        Callers.Caller me = Callers.newUser();
        // More than the first default allowed in one run (20 batches of 500).
        pool.preparedQuery("""
                INSERT INTO idempotency_keys (user_id, key, fingerprint, status, expires_at)
                SELECT $1, 'bulk-' || n, repeat('a', 64), 201, now() - interval '1 minute' FROM generate_series(1, 10050) AS n""").execute(Tuple.of(me.id())).await().atMost(Duration.ofSeconds(30));
        purge.purge().await().atMost(Duration.ofSeconds(60));
        assertThat(pool.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE user_id = $1")
                        .execute(Tuple.of(me.id()))
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .iterator()
                        .next()
                        .getLong(0))
                .isZero();
    }

    @Test
    void anonymousCallersAreStill401() {
        Callers.anonymous()
                .contentType(ContentType.JSON)
                .header(Idempotency.HEADER, newKey())
                .body("{\"title\":\"t\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
    }

    private void sql(String statement, UUID userId, String key) {
        pool.preparedQuery(statement).execute(Tuple.of(userId, key)).await().atMost(Duration.ofSeconds(10));
    }

    private long count(String statement, UUID userId, String key) {
        return pool.preparedQuery(statement)
                .execute(Tuple.of(userId, key))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }
}
