package dev.lectern.identity;

import static dev.lectern.support.Callers.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * No credential does more than its own roles allow: every kind of actor against every operation that reads or changes
 * what someone may do. Each cell is the status the actor must get; a new actor or operation is one more row or column.
 */
@QuarkusTest
class EscalationMatrixTest {

    /** The operations, each given a fresh target learner so that one cell's effect cannot decide another's. */
    private static final Map<String, Function<RequestSpecification, Response>> OPERATIONS = new LinkedHashMap<>();

    static {
        OPERATIONS.put("list users", r -> r.when().get("/api/v1/admin/users"));
        OPERATIONS.put(
                "create an admin user",
                r -> r.contentType(ContentType.JSON)
                        .body("{\"displayName\":\"Mallory\",\"roles\":[\"admin\"]}")
                        .when()
                        .post("/api/v1/admin/users"));
        OPERATIONS.put("mint an admin key for oneself", r -> mint(r, "[\"admin\"]"));
        OPERATIONS.put("mint an author key for oneself", r -> mint(r, "[\"learner\",\"author\"]"));
        OPERATIONS.put("mint a key for oneself", r -> mint(r, null));
        OPERATIONS.put("mint a key for another user", r -> mintForNewUser(r, "[\"learner\"]"));
        OPERATIONS.put("mint an admin key for a learner", r -> mintForNewUser(r, "[\"admin\"]"));
        OPERATIONS.put(
                "write content",
                r -> r.contentType(ContentType.JSON)
                        .body("{\"slug\":\"" + CatalogueFixtures.uniqueSlug("esc") + "\",\"title\":\"T\"}")
                        .when()
                        .post("/api/v1/books"));
        OPERATIONS.put(
                "erase another user",
                r -> r.when()
                        .delete("/api/v1/admin/users/{id}", Callers.newUser().id()));
        OPERATIONS.put("erase oneself", r -> r.when().delete("/api/v1/me"));
    }

    /** An actor and the status it must get from each operation, in the order of OPERATIONS, as one row. */
    private record Actor(String name, Supplier<RequestSpecification> request, String row) {

        int[] expected() {
            int[] statuses = java.util.Arrays.stream(row.trim().split("\\s+"))
                    .mapToInt(Integer::parseInt)
                    .toArray();
            assertThat(statuses).as(name + ": one status per operation").hasSize(OPERATIONS.size());
            return statuses;
        }
    }

    @Test
    void everyActorGetsExactlyWhatItsOwnRolesAllow() {
        // Columns, in the order of OPERATIONS:
        //  list users | create admin | admin key | author key | own key | key for another | admin key for a learner
        //  | write content | erase another | erase oneself
        List<Actor> actors = List.of(
                new Actor("anonymous", Callers::anonymous, all(401)),
                new Actor("learner", () -> Callers.newUser().request(), "403 403 400 400 201 403 403 403 403 204"),
                new Actor(
                        "learner key of an author",
                        () -> keyWith(Callers.newUser("learner", "author"), "[\"learner\"]"),
                        "403 403 400 400 201 403 403 403 403 204"),
                new Actor(
                        "author",
                        () -> Callers.newUser("learner", "author").request(),
                        "403 403 400 201 201 403 403 201 403 204"),
                new Actor("admin", () -> Callers.newUser("admin").request(), "200 201 201 400 201 201 400 201 204 204"),
                new Actor("bootstrap admin key", Callers::admin, "200 201 403 403 403 201 400 201 204 403"),
                new Actor(
                        "service",
                        () -> Callers.newUser("service").request(),
                        "403 403 400 400 201 403 403 403 403 204"),
                new Actor("service for a learner", () -> onBehalfOf(Callers.newUser()), all(403)),
                new Actor("service for an author", () -> onBehalfOf(Callers.newUser("learner", "author")), all(403)),
                new Actor("service for an admin", () -> onBehalfOf(Callers.newUser("learner", "admin")), all(403)),
                new Actor(
                        "learner naming another user",
                        () -> Callers.newUser()
                                .request()
                                .header("X-On-Behalf-Of", Callers.newUser().id()),
                        all(403)),
                new Actor("revoked key", once(EscalationMatrixTest::revokedKey), all(401)),
                new Actor("expired key", once(EscalationMatrixTest::expiredKey), all(401)),
                new Actor("malformed key", once(() -> "lk_malformed"), all(401)),
                new Actor(
                        "service naming no user",
                        () -> Callers.newUser("service")
                                .request()
                                .header(
                                        "X-On-Behalf-Of",
                                        java.util.UUID.randomUUID().toString()),
                        all(400)),
                new Actor(
                        "service naming garbage",
                        () -> Callers.newUser("service").request().header("X-On-Behalf-Of", "../admin"),
                        all(400)));

        List<String> wrong = new ArrayList<>();
        for (Actor actor : actors) {
            int[] statuses = actor.expected();
            int column = 0;
            for (Map.Entry<String, Function<RequestSpecification, Response>> op : OPERATIONS.entrySet()) {
                Response response = op.getValue().apply(actor.request().get());
                int expected = statuses[column++];
                if (response.statusCode() != expected) {
                    wrong.add(actor.name() + " / " + op.getKey() + ": " + response.statusCode() + ", expected "
                            + expected + " " + response.asString());
                } else if (expected >= 400) {
                    assertThat(response.contentType())
                            .as(actor.name() + " / " + op.getKey())
                            .startsWith("application/problem+json");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aDelegateActsForALearnerOnly() {
        Callers.Caller learner = Callers.newUser();
        onBehalfOf(learner)
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(learner.id().toString()));
        // An author is also a learner, but by default a service may not act for anyone holding more than that.
        onBehalfOf(Callers.newUser("learner", "author"))
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("lectern.auth.delegation.users"));
    }

    @Test
    void aKeyMintsOnlyKeysThatExpireNoLaterThanItself() {
        Callers.Caller learner = Callers.newUser();
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String expiring = admin().contentType(ContentType.JSON)
                .body("{\"name\":\"short\",\"expiresAt\":\"" + expires + "\"}")
                .when()
                .post("/api/v1/admin/users/{id}/api-keys", learner.id())
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        given().header("X-Api-Key", expiring)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"longer\",\"expiresAt\":\"" + expires.plusSeconds(1) + "\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("expiresAt"));
        // Without an expiry the new key inherits the creating key's.
        String inherited = given().header("X-Api-Key", expiring)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"same\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("expiresAt");
        assertThat(Instant.parse(inherited)).isEqualTo(expires);
        // A key without expiry (or a JWT) may mint a key without expiry.
        learner.request()
                .contentType(ContentType.JSON)
                .body("{\"name\":\"open\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201)
                .body("expiresAt", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aRestrictedKeyDefaultsToItsOwnRolesAndTheNewKeyCannotWriteContent() {
        Callers.Caller author = Callers.newUser("learner", "author");
        String minted = keyWith(author, "[\"learner\"]")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"child\"}")
                .when()
                .post("/api/v1/me/api-keys")
                .then()
                .statusCode(201)
                .body("roles", org.hamcrest.Matchers.contains("learner"))
                .extract()
                .path("key");
        given().header("X-Api-Key", minted)
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + CatalogueFixtures.uniqueSlug("esc") + "\",\"title\":\"T\"}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(403);
    }

    /** The same status for every operation, as a row. */
    private static String all(int status) {
        return (status + " ").repeat(OPERATIONS.size());
    }

    /** Requests with one key, made on first use. */
    private static Supplier<RequestSpecification> once(Supplier<String> key) {
        String[] made = new String[1];
        return () -> {
            if (made[0] == null) {
                made[0] = key.get();
            }
            return given().header("X-Api-Key", made[0]);
        };
    }

    private static String revokedKey() {
        Callers.Caller learner = Callers.newUser();
        Response created = newKey(learner, "{\"name\":\"revoked\"}");
        learner.request()
                .when()
                .delete("/api/v1/me/api-keys/{id}", created.jsonPath().getString("id"))
                .then()
                .statusCode(204);
        return created.jsonPath().getString("key");
    }

    private static String expiredKey() {
        Instant expires = Instant.now().plusSeconds(1);
        Response created = newKey(Callers.newUser(), "{\"name\":\"expiring\",\"expiresAt\":\"" + expires + "\"}");
        while (!Instant.now().isAfter(expires.plusMillis(100))) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        return created.jsonPath().getString("key");
    }

    private static Response newKey(Callers.Caller user, String body) {
        Response created = admin().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/admin/users/{id}/api-keys", user.id());
        assertThat(created.statusCode()).isEqualTo(201);
        return created;
    }

    private static Response mint(RequestSpecification request, String roles) {
        return request.contentType(ContentType.JSON)
                .body("{\"name\":\"minted\"" + (roles == null ? "" : ",\"roles\":" + roles) + "}")
                .when()
                .post("/api/v1/me/api-keys");
    }

    /** Through the admin API: a key with these roles for a new learner. */
    private static Response mintForNewUser(RequestSpecification request, String roles) {
        return request.contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"roles\":" + roles + "}")
                .when()
                .post("/api/v1/admin/users/{id}/api-keys", Callers.newUser().id());
    }

    /** A request with a key of the user's that carries only these roles. */
    private static RequestSpecification keyWith(Callers.Caller user, String roles) {
        String key = newKey(user, "{\"name\":\"restricted\",\"roles\":" + roles + "}")
                .jsonPath()
                .getString("key");
        return given().header("X-Api-Key", key);
    }

    /** A request from a new service user acting for the given user. */
    private static RequestSpecification onBehalfOf(Callers.Caller user) {
        return Callers.newUser("service")
                .request()
                .header("X-On-Behalf-Of", user.id().toString());
    }
}
