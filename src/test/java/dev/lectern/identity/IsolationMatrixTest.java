package dev.lectern.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import dev.lectern.support.Callers.Caller;
import dev.lectern.support.IsolationMatrix;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strict per-user isolation: every user-scoped endpoint, called on a resource of its owner, answers the owner and
 * an admin, answers another learner 404 (not 403: existence is not revealed) and an anonymous caller 401.
 * A new user-scoped endpoint joins by adding one line to {@link #endpoints()}.
 */
@QuarkusTest
@QuarkusTestResource(TestJwks.class)
class IsolationMatrixTest {

    static Stream<IsolationMatrix> endpoints() {
        return Stream.of(
                IsolationMatrix.get("/api/v1/me/api-keys/{id}", IsolationMatrixTest::newKey),
                IsolationMatrix.delete("/api/v1/me/api-keys/{id}", IsolationMatrixTest::newKey),
                IsolationMatrix.get(
                        "/api/v1/me/review-items/{id}", owner -> "/api/v1/me/review-items/" + newReviewItem(owner)),
                IsolationMatrix.get("/api/v1/me/tasks/{id}", owner -> "/api/v1/me/tasks/" + newTask(owner)),
                IsolationMatrix.delete("/api/v1/me/tasks/{id}", owner -> "/api/v1/me/tasks/" + newTask(owner)),
                IsolationMatrix.of(
                        "/api/v1/me/sessions/{id}/heartbeat",
                        "POST",
                        owner -> "/api/v1/me/sessions/" + ProgressFixtures.newSession(owner) + "/heartbeat",
                        "{}"),
                IsolationMatrix.get(
                        "/api/v1/me/conversations/{id}", owner -> "/api/v1/me/conversations/" + newConversation(owner)),
                IsolationMatrix.get(
                        "/api/v1/me/conversations/{id}/messages",
                        owner -> "/api/v1/me/conversations/" + newConversation(owner) + "/messages"),
                IsolationMatrix.of(
                        "/api/v1/me/conversations/{id}",
                        "PATCH",
                        owner -> "/api/v1/me/conversations/" + newConversation(owner),
                        "{\"title\":\"renamed\"}"),
                IsolationMatrix.of(
                        "/api/v1/me/conversations/{id}/messages",
                        "POST",
                        owner -> "/api/v1/me/conversations/" + newConversation(owner) + "/messages",
                        "{\"role\":\"user\",\"content\":\"hi\"}"),
                IsolationMatrix.delete(
                        "/api/v1/me/conversations/{id}", owner -> "/api/v1/me/conversations/" + newConversation(owner)),
                IsolationMatrix.get(
                        "/api/v1/me/generated/{id}", owner -> "/api/v1/me/generated/" + newGenerated(owner)),
                IsolationMatrix.delete(
                        "/api/v1/me/generated/{id}", owner -> "/api/v1/me/generated/" + newGenerated(owner)),
                IsolationMatrix.of(
                        "/api/v1/me/generated/{id}/review-items",
                        "POST",
                        owner -> "/api/v1/me/generated/" + newGenerated(owner) + "/review-items",
                        "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void onlyTheOwnerAndAdminsReachAUsersResource(IsolationMatrix endpoint) {
        Caller owner = Callers.newUser();
        Caller otherLearner = Callers.newUser();
        Caller admin = Callers.newUser("admin");

        assertThat(endpoint.call(owner, owner.request())).as("owner").isBetween(200, 299);
        assertThat(endpoint.call(owner, otherLearner.request()))
                .as("another learner")
                .isEqualTo(404);
        assertThat(endpoint.call(owner, Callers.anonymous())).as("anonymous").isEqualTo(401);
        assertThat(endpoint.call(owner, admin.request())).as("admin").isBetween(200, 299);
    }

    private static String newReviewItem(Caller owner) {
        return owner.request()
                .contentType(ContentType.JSON)
                .body("{\"front\":\"matrix\"}")
                .when()
                .post("/api/v1/me/review-items")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String newTask(Caller owner) {
        return owner.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"matrix\"}")
                .when()
                .post("/api/v1/me/tasks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String newConversation(Caller owner) {
        return owner.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"matrix\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String newGenerated(Caller owner) {
        return owner.request()
                .contentType(ContentType.JSON)
                .body(dev.lectern.studymaterial.StudyMaterialTest.FLASHCARDS)
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String newKey(Caller owner) {
        String id = owner.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"matrix\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return "/api/v1/me/api-keys/" + id;
    }
}
