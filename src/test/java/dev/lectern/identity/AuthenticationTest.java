package dev.lectern.identity;

import static dev.lectern.support.Callers.admin;
import static dev.lectern.support.Callers.anonymous;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class AuthenticationTest {

    @Test
    void anonymousCallersOfProtectedEndpointsGetA401Problem() {
        anonymous()
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void aValidJwtProvisionsItsSubjectAsALearnerOnFirstUse() {
        String subject = "auth0|" + UUID.randomUUID();
        String token = TestJwks.token(subject);
        String id = given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("externalSubject", equalTo(subject))
                .body("roles", hasItem("learner"))
                .body("displayName", equalTo("Test " + subject))
                .extract()
                .path("id");
        given().auth()
                .oauth2(TestJwks.token(subject))
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
    }

    @Test
    void tokensWithAForeignKeyAWrongIssuerOrPastExpiryAreRejected() throws Exception {
        var foreign = KeyPairGenerator.getInstance("RSA");
        foreign.initialize(2048);
        String forged = TestJwks.sign(
                foreign.generateKeyPair().getPrivate(),
                TestJwks.kid(),
                TestJwks.ISSUER,
                "mallory",
                Instant.now().plusSeconds(300));
        String wrongIssuer = TestJwks.sign(
                TestJwks.privateKey(),
                TestJwks.kid(),
                "https://evil.example",
                "mallory",
                Instant.now().plusSeconds(300));
        String expired = TestJwks.sign(
                TestJwks.privateKey(),
                TestJwks.kid(),
                TestJwks.ISSUER,
                "mallory",
                Instant.now().minusSeconds(3600));
        for (String token : new String[] {forged, wrongIssuer, expired, "not.a.jwt"}) {
            given().auth()
                    .oauth2(token)
                    .when()
                    .get("/api/v1/me")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void badApiKeysAreRejectedWithoutRevealingWhy() {
        String wellFormedButUnknown = "lk_" + "abcdefghijkl" + "_" + "A".repeat(43);
        for (String key : new String[] {"garbage", wellFormedButUnknown, "wrong-admin-key"}) {
            given().header("X-Api-Key", key)
                    .when()
                    .get("/api/v1/me")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("the credentials are invalid, expired or revoked"));
        }
    }

    @Test
    void aKeyWithTheRightPrefixButAWrongSecretIsRejected() {
        Callers.Caller caller = Callers.newUser();
        String tampered = caller.apiKey().substring(0, caller.apiKey().length() - 1)
                + (caller.apiKey().endsWith("A") ? "B" : "A");
        given().header("X-Api-Key", tampered).when().get("/api/v1/me").then().statusCode(401);
        caller.request()
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(caller.id().toString()));
    }

    @Test
    void failedAuthenticationIsCountedInMetrics() {
        given().header("X-Api-Key", "garbage").when().get("/api/v1/me").then().statusCode(401);
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("lectern_auth_failures_total{reason="))
                .body(containsString("lectern_auth_rejected_total"));
    }

    @Test
    void theBootstrapAdminKeyIsNoUser() {
        admin().when()
                .get("/api/v1/me")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("bootstrap admin key"));
        admin().when().get("/api/v1/admin/users").then().statusCode(200).body("items", notNullValue());
    }

    @Test
    void aServiceMayActForAUserAndNobodyElseMay() {
        Callers.Caller service = Callers.newUser("service");
        Callers.Caller learner = Callers.newUser("learner");
        service.request()
                .header("X-On-Behalf-Of", learner.id().toString())
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(learner.id().toString()));
        learner.request()
                .header("X-On-Behalf-Of", service.id().toString())
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        service.request()
                .header("X-On-Behalf-Of", "not-a-uuid")
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("X-On-Behalf-Of"));
        service.request()
                .header("X-On-Behalf-Of", UUID.randomUUID().toString())
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(400);
    }

    @Test
    void aServiceMayNameTheUserByTheAuthServersSubject() {
        Callers.Caller service = Callers.newUser("service");
        String subject = "sso|" + UUID.randomUUID();
        Callers.Caller learner = Callers.newUserWithSubject(subject);
        me(service, subject)
                .statusCode(200)
                .body("id", equalTo(learner.id().toString()))
                .body("roles", org.hamcrest.Matchers.contains("learner"));

        // An auth server that issues UUID subjects: a value naming no Lectern id is tried as a subject ...
        String uuidSubject = UUID.randomUUID().toString();
        Callers.Caller uuidLearner = Callers.newUserWithSubject(uuidSubject);
        me(service, uuidSubject)
                .statusCode(200)
                .body("id", equalTo(uuidLearner.id().toString()));
        // ... and when a value is both one user's id and another's subject, the Lectern id wins.
        Callers.Caller shadow = Callers.newUserWithSubject(learner.id().toString());
        me(service, learner.id().toString())
                .statusCode(200)
                .body("id", equalTo(learner.id().toString()));
        me(service, shadow.id().toString())
                .statusCode(200)
                .body("id", equalTo(shadow.id().toString()));
    }

    @Test
    void aSubjectNamesNoOneElseAndGrantsNothingMore() {
        Callers.Caller service = Callers.newUser("service");
        me(service, "sso|nobody-" + UUID.randomUUID())
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("X-On-Behalf-Of"));
        me(service, "x".repeat(256)).statusCode(400).contentType("application/problem+json");
        String authorSubject = "sso|" + UUID.randomUUID();
        Callers.newUserWithSubject(authorSubject, "author", "learner");
        me(service, authorSubject).statusCode(403).contentType("application/problem+json");
        // A subject asked for before its user exists is found once the user is created (misses are not cached).
        String later = "sso|" + UUID.randomUUID();
        me(service, later).statusCode(400);
        Callers.Caller created = Callers.newUserWithSubject(later);
        me(service, later).statusCode(200).body("id", equalTo(created.id().toString()));
    }

    /** The service's GET /api/v1/me acting for the user it names. */
    private static io.restassured.response.ValidatableResponse me(Callers.Caller service, String named) {
        return service.request()
                .header("X-On-Behalf-Of", named)
                .when()
                .get("/api/v1/me")
                .then();
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        anonymous().when().get("/q/health/ready").then().statusCode(200);
        anonymous().when().get("/q/metrics").then().statusCode(200);
        anonymous().when().get("/q/openapi").then().statusCode(200);
    }
}
