package dev.lectern.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class MeResourceTest {

    @Inject
    ApiKeyVerifier verifier;

    @Test
    void theProfileIsCreatedAndMergedByPatch() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("profile.preferredTopics", hasSize(0))
                .body("profile.experienceLevel", nullValue());
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"displayName\":\"Amina\",\"profile\":{\"experienceLevel\":\"beginner\",\"softwareBackground\":\"Python\","
                                + "\"preferredTopics\":[\"ros2\",\"control\",\"ros2\"],\"preferredLanguage\":\"ur\"}}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(200)
                .body("displayName", equalTo("Amina"))
                .body("profile.experienceLevel", equalTo("beginner"))
                .body("profile.preferredTopics", contains("ros2", "control"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"profile\":{\"hardwareBackground\":\"Jetson\"}}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(200)
                .body("profile.hardwareBackground", equalTo("Jetson"))
                .body("profile.softwareBackground", equalTo("Python"))
                .body("profile.preferredLanguage", equalTo("ur"));
    }

    @Test
    void invalidProfileChangesAre400() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"email\":\"not-an-email\",\"profile\":{\"experienceLevel\":\"guru\",\"preferredLanguage\":\"Urdu\"}}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("profile.experienceLevel"))
                .body("errors.field", hasItem("profile.preferredLanguage"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"roles\":[\"admin\"]}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("roles"));
    }

    @Test
    void anEmailCanBelongToOneUserOnly() {
        String email = "shared-" + System.nanoTime() + "@example.org";
        Callers.newUser()
                .request()
                .contentType(ContentType.JSON)
                .body("{\"email\":\"" + email + "\"}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(200);
        Callers.newUser()
                .request()
                .contentType(ContentType.JSON)
                .body("{\"email\":\"" + email.toUpperCase() + "\"}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void aNewKeyIsShownOnceAndWorksUntilRevoked() {
        Callers.Caller me = Callers.newUser("learner", "author");
        var created = me.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"laptop\",\"roles\":[\"learner\"]}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201)
                .body("key", startsWith("lk_"))
                .body("roles", contains("learner"))
                .extract();
        String key = created.path("key");
        String id = created.path("id");

        given().header("X-Api-Key", key)
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(me.id().toString()));
        me.request()
                .when()
                .get("/api/v1/me/api-keys")
                .then()
                .statusCode(200)
                .body("items.name", hasItem("laptop"))
                .body("items[0]", not(hasKey("key")))
                .body("items[0]", not(hasKey("secretHash")));
        me.request()
                .when()
                .get("/api/v1/me/api-keys/{id}", id)
                .then()
                .statusCode(200)
                .body("prefix", equalTo(key.substring(3, 15)));

        me.request().when().delete("/api/v1/me/api-keys/{id}", id).then().statusCode(204);
        given().header("X-Api-Key", key).when().get("/api/v1/me").then().statusCode(401);
        me.request()
                .when()
                .get("/api/v1/me/api-keys/{id}", id)
                .then()
                .statusCode(200)
                .body("revokedAt", notNullValue());
    }

    @Test
    void aKeyCannotCarryRolesItsUserLacksNorExpireInThePast() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"sneaky\",\"roles\":[\"admin\"]}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("roles"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"old\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("expiresAt"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
        me.request().when().get("/api/v1/me/api-keys/{id}", "not-a-uuid").then().statusCode(400);
    }

    @Test
    void anExpiredKeyStopsWorking() throws InterruptedException {
        Callers.Caller me = Callers.newUser();
        String key = me.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"short\",\"expiresAt\":\""
                        + java.time.Instant.now().plusSeconds(2) + "\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        given().header("X-Api-Key", key).when().get("/api/v1/me").then().statusCode(200);
        Thread.sleep(2500);
        given().header("X-Api-Key", key).when().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void lastUseIsRecordedInABatchNotOnEachRequest() {
        Callers.Caller me = Callers.newUser();
        String keyId =
                me.request().when().get("/api/v1/me/api-keys").then().extract().path("items[0].id");
        me.request().when().get("/api/v1/me/api-keys/{id}", keyId).then().statusCode(200);
        verifier.flushLastUsed().await().atMost(Duration.ofSeconds(10));
        String lastUsed = me.request()
                .when()
                .get("/api/v1/me/api-keys/{id}", keyId)
                .then()
                .statusCode(200)
                .extract()
                .path("lastUsedAt");
        assertThat(lastUsed).isNotNull();
    }

    @Test
    void theExportHoldsTheProfileAndKeyMetadataButNoSecrets() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"profile\":{\"learningGoals\":\"Build a rover\"}}")
                .when()
                .patch("/api/v1/me")
                .then()
                .statusCode(200);
        String body = me.request()
                .when()
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .header("Content-Disposition", startsWith("attachment"))
                .body("user.id", equalTo(me.id().toString()))
                .body("user.profile.learningGoals", equalTo("Build a rover"))
                .body("apiKeys", hasSize(1))
                .body("exportedAt", notNullValue())
                .extract()
                .asString();
        assertThat(body).doesNotContain(me.apiKey()).doesNotContain(me.apiKey().substring(16));
    }
}
