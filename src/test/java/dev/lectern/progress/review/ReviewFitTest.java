package dev.lectern.progress.review;

import static dev.lectern.support.Callers.admin;
import static dev.lectern.support.Callers.anonymous;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Fitting a learner's FSRS weights to their review log: the job, its outcome, the weights it leaves, its guards. */
@QuarkusTest
class ReviewFitTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /** Starts a fit and follows it to its end; answers the finished job. */
    private static JsonPath fitToTheEnd(Callers.Caller me) {
        String location = me.request()
                .when()
                .post("/api/v1/me/review-settings/fit")
                .then()
                .statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/me/review-settings/fit/"))
                .body("status", equalTo("queued"))
                .extract()
                .header("Location");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonPath job = me.request()
                    .when()
                    .get(location)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            String status = job.getString("status");
            if (status.equals("succeeded") || status.equals("failed") || System.nanoTime() > deadline) {
                return job;
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aShortLogKeepsTheWeightsAndSaysWhy() {
        Callers.Caller me = Callers.newUser();
        String card = ProgressFixtures.newCard(me, "short log");
        me.request()
                .contentType("application/json")
                .body("{\"rating\":\"good\"}")
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", card)
                .then()
                .statusCode(200);
        JsonPath job = fitToTheEnd(me);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getString("outcome")).isEqualTo("kept");
        assertThat(job.getInt("reviews")).isEqualTo(1);
        assertThat(job.getString("message")).isNotBlank();
        assertThat(job.getList("weights")).isNull();
        me.request().when().get("/api/v1/me/review-settings").then().body("weightsSource", equalTo("default"));
    }

    @Test
    void aLongLogFitsWeightsThatPredictItBetterAndMakesThemTheLearners() throws Exception {
        Callers.Caller me = Callers.newUser();
        // A learner whose memory follows the retrained FSRS-6 weights, scheduled with the defaults until now.
        store(me.id(), SyntheticLearner.history(Fsrs.retrainedParameters(), Fsrs.defaultParameters(), 3000, 17));

        JsonPath job = fitToTheEnd(me);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getString("outcome")).isEqualTo("fitted");
        assertThat(job.getInt("reviews")).isEqualTo(3000);
        assertThat(job.getDouble("progress")).isEqualTo(1.0);
        assertThat(job.getDouble("logLossAfter")).isLessThanOrEqualTo(job.getDouble("logLossBefore"));
        assertThat(job.getDouble("rmseBinsAfter")).isNotNull();
        List<Float> fitted = job.getList("weights", Float.class);
        assertThat(fitted).hasSize(21);
        assertThat(fitted)
                .isNotEqualTo(java.util.Arrays.stream(Fsrs.defaultParameters())
                        .mapToObj(w -> (float) w)
                        .toList());

        me.request()
                .when()
                .get("/api/v1/me/review-settings")
                .then()
                .body("weightsSource", equalTo("fitted"))
                .body("weights", equalTo(fitted));
    }

    @Test
    void oneFitAtATimeAndAnAbandonedOneDoesNotBlockForever() throws Exception {
        Callers.Caller me = Callers.newUser();
        UUID running = UUID.randomUUID();
        sql("INSERT INTO review_fit_jobs (id, user_id, status) VALUES (?, ?, 'running')", running, me.id());
        me.request()
                .when()
                .post("/api/v1/me/review-settings/fit")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString(running.toString()));
        // Its replica died: no heartbeat for three minutes.
        sql("UPDATE review_fit_jobs SET updated_at = now() - interval '3 minutes' WHERE id = ?", running);
        JsonPath job = fitToTheEnd(me);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        me.request()
                .when()
                .get("/api/v1/me/review-settings/fit/{id}", running)
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("message", startsWith("abandoned"));
    }

    @Test
    void aFitIsItsLearnersOwn() {
        Callers.Caller me = Callers.newUser();
        String id = fitToTheEnd(me).getString("id");
        Callers.newUser()
                .request()
                .when()
                .get("/api/v1/me/review-settings/fit/{id}", id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        admin().when()
                .get("/api/v1/me/review-settings/fit/{id}", id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
        me.request()
                .when()
                .get("/api/v1/me/review-settings/fit/{id}", UUID.randomUUID())
                .then()
                .statusCode(404);
        me.request()
                .when()
                .get("/api/v1/me/review-settings/fit/{id}", "not-a-uuid")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        anonymous().when().post("/api/v1/me/review-settings/fit").then().statusCode(401);
        anonymous()
                .when()
                .get("/api/v1/me/review-settings/fit/{id}", id)
                .then()
                .statusCode(401)
                .body("status", notNullValue());
    }

    @Test
    void theLogLeavesInTheFsrsOptimizersCsvFormat() {
        Callers.Caller me = Callers.newUser();
        String first = ProgressFixtures.newCard(me, "first card");
        String second = ProgressFixtures.newCard(me, "second card");
        Instant t0 = Instant.parse("2026-11-01T08:00:00Z");
        reviewed(me, first, "{\"rating\":\"good\",\"reviewedAt\":\"" + t0 + "\",\"durationMs\":5400}");
        Instant t1 = t0.plus(Duration.ofHours(1));
        reviewed(me, second, "{\"rating\":\"easy\",\"reviewedAt\":\"" + t1 + "\"}");
        Instant t2 = t0.plus(Duration.ofDays(2));
        reviewed(me, first, "{\"rating\":\"again\",\"reviewedAt\":\"" + t2 + "\",\"durationMs\":0}");

        String csv = me.request()
                .accept("text/csv")
                .when()
                .get("/api/v1/me/reviews/export")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment"))
                .extract()
                .asString();
        assertThat(csv)
                .isEqualTo("card_id,review_time,review_rating,review_state,review_duration\n"
                        + "1," + t0.toEpochMilli() + ",3,0,5400\n"
                        + "1," + t2.toEpochMilli() + ",1,1,0\n"
                        + "2," + t1.toEpochMilli() + ",4,0,\n");

        // Only the caller's own reviews; credentials required; CSV only.
        assertThat(Callers.newUser()
                        .request()
                        .accept("text/csv")
                        .when()
                        .get("/api/v1/me/reviews/export")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEqualTo("card_id,review_time,review_rating,review_state,review_duration\n");
        anonymous()
                .accept("text/csv")
                .when()
                .get("/api/v1/me/reviews/export")
                .then()
                .statusCode(401);
        me.request()
                .accept("application/json")
                .when()
                .get("/api/v1/me/reviews/export")
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
    }

    @Test
    void aReviewsDurationIsWithinADay() {
        Callers.Caller me = Callers.newUser();
        String card = ProgressFixtures.newCard(me, "duration");
        for (String bad : List.of("-1", "86400001", "\"slow\"")) {
            me.request()
                    .contentType("application/json")
                    .body("{\"rating\":\"good\",\"durationMs\":" + bad + "}")
                    .when()
                    .post("/api/v1/me/review-items/{id}/reviews", card)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    private static void reviewed(Callers.Caller me, String card, String body) {
        me.request()
                .contentType("application/json")
                .body(body)
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", card)
                .then()
                .statusCode(200);
    }

    /** Stores a synthetic log as the learner's review items and review log. */
    private void store(UUID userId, List<List<FsrsOptimizer.Review>> cards) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement item = c.prepareStatement(
                            "INSERT INTO review_items (id, user_id, front, state, due) VALUES (?, ?, 'synthetic', 'review', now())");
                    PreparedStatement log = c.prepareStatement("""
                            INSERT INTO review_logs (id, item_id, user_id, rating, reviewed_at, elapsed_days, scheduled_days,
                                                     state_before, state_after, stability_after, difficulty_after, due_after)
                            VALUES (?, ?, ?, ?, ?, 0, 0, 'review', 'review', 1, 5, ?)""")) {
                for (List<FsrsOptimizer.Review> card : cards) {
                    UUID itemId = UUID.randomUUID();
                    item.setObject(1, itemId);
                    item.setObject(2, userId);
                    item.addBatch();
                    for (FsrsOptimizer.Review r : card) {
                        log.setObject(1, UUID.randomUUID());
                        log.setObject(2, itemId);
                        log.setObject(3, userId);
                        log.setString(4, r.rating().code());
                        log.setTimestamp(5, Timestamp.from(r.reviewedAt()));
                        log.setTimestamp(6, Timestamp.from(r.reviewedAt().plus(Duration.ofDays(1))));
                        log.addBatch();
                    }
                }
                item.executeBatch();
                log.executeBatch();
            }
            c.commit();
        }
    }

    private void sql(String statement, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
