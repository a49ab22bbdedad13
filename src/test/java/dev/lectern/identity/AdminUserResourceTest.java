package dev.lectern.identity;

import static dev.lectern.support.Callers.admin;
import static dev.lectern.support.Callers.anonymous;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class AdminUserResourceTest {

    @Test
    void anAdminCreatesAUserWhoseJwtMapsToIt() {
        String subject = "kc|" + UUID.randomUUID();
        String id = admin().contentType(ContentType.JSON)
                .body("{\"displayName\":\"Author\",\"email\":\"a-" + UUID.randomUUID()
                        + "@example.org\",\"externalSubject\":\"" + subject + "\",\"roles\":[\"author\",\"learner\"]}")
                .when()
                .post("/api/v1/admin/users")
                .then()
                .statusCode(201)
                .body("roles", contains("author", "learner"))
                .extract()
                .path("id");
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(TestJwks.token(subject))
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("roles", hasItem("author"));
    }

    @Test
    void duplicatesAndBadRolesAreRejected() {
        String subject = "dup|" + UUID.randomUUID();
        admin().contentType(ContentType.JSON)
                .body("{\"externalSubject\":\"" + subject + "\"}")
                .when()
                .post("/api/v1/admin/users")
                .then()
                .statusCode(201);
        admin().contentType(ContentType.JSON)
                .body("{\"externalSubject\":\"" + subject + "\"}")
                .when()
                .post("/api/v1/admin/users")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        admin().contentType(ContentType.JSON)
                .body("{\"roles\":[\"superuser\"]}")
                .when()
                .post("/api/v1/admin/users")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("roles[0]"));
    }

    @Test
    void theUserListPagesThroughEveryone() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(Callers.newUser().id().toString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = admin().queryParam("limit", 50);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when()
                    .get("/api/v1/admin/users")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("next");
        } while (cursor != null);
        assertThat(seen).containsAll(created).doesNotHaveDuplicates();
    }

    @Test
    void onlyAdminsManageUsers() {
        Callers.Caller learner = Callers.newUser();
        learner.request()
                .when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        anonymous().when().get("/api/v1/admin/users").then().statusCode(401).contentType("application/problem+json");
        learner.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\"}")
                .when()
                .post("/api/v1/admin/users/{id}/api-keys", learner.id())
                .then()
                .statusCode(403);
        learner.request()
                .when()
                .delete("/api/v1/admin/users/{id}", learner.id())
                .then()
                .statusCode(403);
    }

    @Test
    void anAdminErasesAUser() {
        Callers.Caller learner = Callers.newUser();
        admin().when().delete("/api/v1/admin/users/{id}", learner.id()).then().statusCode(204);
        learner.request().when().get("/api/v1/me").then().statusCode(401);
        admin().when().delete("/api/v1/admin/users/{id}", learner.id()).then().statusCode(404);
        admin().when().delete("/api/v1/admin/users/{id}", "nope").then().statusCode(400);
        admin().contentType(ContentType.JSON)
                .body("{\"name\":\"x\"}")
                .when()
                .post("/api/v1/admin/users/{id}/api-keys", UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void serviceKeysAreIssuedByAnAdmin() {
        Callers.Caller service = Callers.newUser("service");
        admin().when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(200)
                .body("items", hasSize(org.hamcrest.Matchers.greaterThan(0)));
        service.request().when().get("/api/v1/me").then().statusCode(200).body("roles", contains("service"));
    }

    @Test
    void aPlatformFindsAndRetiresAUserByItsOwnId() {
        String subject = "sso|" + UUID.randomUUID();
        Callers.Caller learner = Callers.newUserWithSubject(subject);
        Callers.Caller other = Callers.newUserWithSubject("sso|" + UUID.randomUUID());

        admin().queryParam("externalSubject", subject)
                .when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(learner.id().toString()))
                .body("items[0].externalSubject", equalTo(subject))
                .body("next", org.hamcrest.Matchers.nullValue());

        admin().queryParam("externalSubject", subject)
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(204);
        learner.request().when().get("/api/v1/me").then().statusCode(401);
        other.request().when().get("/api/v1/me").then().statusCode(200);
        admin().queryParam("externalSubject", subject)
                .when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        admin().queryParam("externalSubject", subject)
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void retirementBySubjectRefusesBadInput() {
        admin().when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("externalSubject"));
        admin().queryParam("externalSubject", "x".repeat(256))
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        admin().when()
                .delete("/api/v1/admin/users?externalSubject=")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        admin().queryParam("externalSubject", "a\u0000b")
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        admin().queryParam("externalSubject", "x".repeat(256))
                .when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        admin().queryParam("externalSubject", "sso|someone")
                .queryParam("cursor", "abc")
                .when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void onlyAdminsRetireBySubject() {
        String subject = "sso|" + UUID.randomUUID();
        Callers.Caller learner = Callers.newUserWithSubject(subject);
        Callers.Caller service = Callers.newUser("service");
        learner.request()
                .queryParam("externalSubject", subject)
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        service.request()
                .queryParam("externalSubject", subject)
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(403);
        service.request()
                .header("X-On-Behalf-Of", subject)
                .queryParam("externalSubject", subject)
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(403);
        anonymous()
                .queryParam("externalSubject", subject)
                .when()
                .delete("/api/v1/admin/users")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        learner.request()
                .queryParam("externalSubject", subject)
                .when()
                .get("/api/v1/admin/users")
                .then()
                .statusCode(403);
        learner.request().when().get("/api/v1/me").then().statusCode(200);
    }
}
