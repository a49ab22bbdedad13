package dev.lectern.progress.review;

import static dev.lectern.support.Callers.admin;
import static dev.lectern.support.Callers.anonymous;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** FSRS weights per learner and per platform: set, read back, validated, and used by the scheduler and by mastery. */
@QuarkusTest
class ReviewWeightsTest {

    private static String json(double[] weights) {
        return Arrays.stream(weights).mapToObj(Double::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static ValidatableResponse putSettings(Callers.Caller me, String body) {
        return me.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/api/v1/me/review-settings")
                .then();
    }

    private static ValidatableResponse putDefaults(String body) {
        return admin().contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/api/v1/admin/review-defaults")
                .then();
    }

    private static List<Float> floats(double[] weights) {
        return Arrays.stream(weights).mapToObj(w -> (float) w).toList();
    }

    @Test
    void aLearnerSetsKeepsAndDropsTheirOwnWeights() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .when()
                .get("/api/v1/me/review-settings")
                .then()
                .statusCode(200)
                .body("weights", hasSize(21))
                .body("weights", equalTo(floats(Fsrs.defaultParameters())))
                .body("weightsSource", equalTo("default"));

        double[] retrained = Fsrs.retrainedParameters();
        putSettings(me, "{\"desiredRetention\":0.9,\"maximumIntervalDays\":36500,\"weights\":" + json(retrained) + "}")
                .statusCode(200)
                .body("weights", equalTo(floats(retrained)))
                .body("weightsSource", equalTo("learner"));
        // Changing retention alone keeps the weights.
        putSettings(me, "{\"desiredRetention\":0.85,\"maximumIntervalDays\":365}")
                .statusCode(200)
                .body("desiredRetention", equalTo(0.85f))
                .body("weights", equalTo(floats(retrained)))
                .body("weightsSource", equalTo("learner"));
        me.request()
                .when()
                .get("/api/v1/me/review-settings")
                .then()
                .body("weights", equalTo(floats(retrained)))
                .body("maximumIntervalDays", equalTo(365));
        // [] goes back to the platform's (here the FSRS-6 defaults).
        putSettings(me, "{\"desiredRetention\":0.85,\"maximumIntervalDays\":365,\"weights\":[]}")
                .statusCode(200)
                .body("weights", equalTo(floats(Fsrs.defaultParameters())))
                .body("weightsSource", equalTo("default"));
        // Another learner is untouched throughout.
        Callers.newUser()
                .request()
                .when()
                .get("/api/v1/me/review-settings")
                .then()
                .body("weightsSource", equalTo("default"));
    }

    @Test
    void weightsOutsideTheReferenceBoundsAreRefusedOneByOne() {
        Callers.Caller me = Callers.newUser();
        String base = "{\"desiredRetention\":0.9,\"maximumIntervalDays\":365,\"weights\":";
        putSettings(me, base + "[1,2,3]}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("weights"));
        double[] w = Fsrs.defaultParameters();
        w[4] = 11; // D0 within [1, 10]
        w[20] = 0.01; // decay within [0.1, 0.8]
        putSettings(me, base + json(w) + "}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("weights[4]", "weights[20]"));
        String withNull = json(Fsrs.defaultParameters()).replaceFirst("^\\[[^,]+,", "[null,");
        putSettings(me, base + withNull + "}").statusCode(400).body("errors.field", hasItem("weights[0]"));
        String huge = json(Fsrs.defaultParameters()).replaceFirst("^\\[[^,]+,", "[1e400,");
        putSettings(me, base + huge + "}").statusCode(400).contentType("application/problem+json");
        String text = json(Fsrs.defaultParameters()).replaceFirst("^\\[[^,]+,", "[\"x\",");
        putSettings(me, base + text + "}").statusCode(400).contentType("application/problem+json");
        putSettings(me, base + "\"fast\"}").statusCode(400).contentType("application/problem+json");
        me.request()
                .when()
                .get("/api/v1/me/review-settings")
                .then()
                .body("weightsSource", equalTo("default"))
                .body("maximumIntervalDays", equalTo(36500));
    }

    @Test
    void theSchedulerUsesTheLearnersWeights() {
        // w2 is the stability after a first GOOD: 3.26 days by default, 60 here; the second GOOD graduates the card.
        double[] patient = Fsrs.defaultParameters();
        patient[2] = 60;
        Callers.Caller plain = Callers.newUser();
        Callers.Caller tuned = Callers.newUser();
        putSettings(tuned, "{\"desiredRetention\":0.9,\"maximumIntervalDays\":36500,\"weights\":" + json(patient) + "}")
                .statusCode(200);
        assertThat(graduatingInterval(tuned)).isGreaterThan(graduatingInterval(plain) * 5);
    }

    /** Days until the next review after GOOD, GOOD on a new card. */
    private static long graduatingInterval(Callers.Caller me) {
        String id = ProgressFixtures.newCard(me, "weights");
        Instant start = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        review(me, id, "good", start);
        Instant second = start.plus(Duration.ofMinutes(10));
        String due = review(me, id, "good", second);
        return Duration.between(second, Instant.parse(due)).toDays();
    }

    private static String review(Callers.Caller me, String id, String rating, Instant at) {
        return me.request()
                .contentType(ContentType.JSON)
                .body("{\"rating\":\"" + rating + "\",\"reviewedAt\":\"" + at + "\"}")
                .when()
                .post("/api/v1/me/review-items/{id}/reviews", id)
                .then()
                .statusCode(200)
                .extract()
                .path("due");
    }

    @Test
    void masteryReadsRetrievabilityWithTheLearnersDecay() {
        String framework = ProgressFixtures.framework("weights", "W.1");
        Callers.Caller me = Callers.newUser();
        String id = ProgressFixtures.outcomeCard(me, framework + "/W.1");
        review(me, id, "good", Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS));
        float stability = me.request()
                .when()
                .get("/api/v1/me/review-items/{id}", id)
                .then()
                .extract()
                .path("stability");

        double[] slowDecay = Fsrs.defaultParameters();
        slowDecay[20] = 0.8;
        assertThat(mastery(me, framework)).isCloseTo(retrievability(0.2, stability, 30), within(0.002));
        putSettings(me, "{\"desiredRetention\":0.9,\"maximumIntervalDays\":36500,\"weights\":" + json(slowDecay) + "}")
                .statusCode(200);
        assertThat(mastery(me, framework)).isCloseTo(retrievability(0.8, stability, 30), within(0.002));
        // The item itself, read alone and in the due queue, shows the same retrievability.
        float alone = me.request()
                .when()
                .get("/api/v1/me/review-items/{id}", id)
                .then()
                .extract()
                .path("retrievability");
        assertThat((double) alone).isCloseTo(retrievability(0.8, stability, 30), within(0.0002));
        float queued = me.request()
                .queryParam(
                        "before", Instant.now().plus(Duration.ofDays(36_500)).toString())
                .when()
                .get("/api/v1/me/reviews/due")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].retrievability");
        assertThat(queued).isEqualTo(alone);
    }

    private static double mastery(Callers.Caller me, String framework) {
        float r = me.request()
                .queryParam("framework", framework)
                .when()
                .get("/api/v1/me/mastery")
                .then()
                .statusCode(200)
                .extract()
                .path("outcomes[0].retrievability");
        return r;
    }

    /** FSRS-6's forgetting curve: R = (1 + factor t / S)^-w20, with R = 0.9 at t = S. */
    private static double retrievability(double w20, double stability, int days) {
        double factor = Math.pow(0.9, -1 / w20) - 1;
        return Math.pow(1 + factor * days / stability, -w20);
    }

    @Test
    void anAdminSetsThePlatformsDefaultWeights() {
        double[] retrained = Fsrs.retrainedParameters();
        Callers.Caller plain = Callers.newUser();
        Callers.Caller own = Callers.newUser();
        double[] mine = Fsrs.defaultParameters();
        mine[0] = 0.5;
        putSettings(own, "{\"desiredRetention\":0.9,\"maximumIntervalDays\":36500,\"weights\":" + json(mine) + "}")
                .statusCode(200);
        admin().when()
                .get("/api/v1/admin/review-defaults")
                .then()
                .statusCode(200)
                .body("source", equalTo("default"))
                .body("weights", equalTo(floats(Fsrs.defaultParameters())));
        try {
            putDefaults("{\"weights\":" + json(retrained) + "}")
                    .statusCode(200)
                    .body("source", equalTo("platform"))
                    .body("weights", equalTo(floats(retrained)));
            plain.request()
                    .when()
                    .get("/api/v1/me/review-settings")
                    .then()
                    .body("weightsSource", equalTo("platform"))
                    .body("weights", equalTo(floats(retrained)));
            own.request()
                    .when()
                    .get("/api/v1/me/review-settings")
                    .then()
                    .body("weightsSource", equalTo("learner"))
                    .body("weights", equalTo(floats(mine)));
        } finally {
            putDefaults("{\"weights\":[]}").statusCode(200).body("source", equalTo("default"));
        }
        plain.request().when().get("/api/v1/me/review-settings").then().body("weightsSource", equalTo("default"));
    }

    @Test
    void onlyAnAdminSetsThePlatformsDefaultsAndOnlyWithinBounds() {
        putDefaults("{\"weights\":[1,2]}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("weights"));
        double[] w = Fsrs.defaultParameters();
        w[7] = 0.9;
        putDefaults("{\"weights\":" + json(w) + "}").statusCode(400).body("errors[0].field", equalTo("weights[7]"));
        putDefaults("{}").statusCode(400).contentType("application/problem+json");
        Callers.Caller learner = Callers.newUser();
        learner.request()
                .contentType(ContentType.JSON)
                .body("{\"weights\":[]}")
                .when()
                .put("/api/v1/admin/review-defaults")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        learner.request().when().get("/api/v1/admin/review-defaults").then().statusCode(403);
        anonymous().when().get("/api/v1/admin/review-defaults").then().statusCode(401);
        admin().when().get("/api/v1/admin/review-defaults").then().body("source", equalTo("default"));
    }
}
