package dev.lectern.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Test users: created through the admin API, each with an API key, so tests act as a real caller would. */
public final class Callers {

    public record Caller(UUID id, String apiKey) {

        public RequestSpecification request() {
            return given().header("X-Api-Key", apiKey);
        }
    }

    private Callers() {}

    public static RequestSpecification admin() {
        return given().header("X-Api-Key", AsAdmin.ADMIN_KEY);
    }

    public static RequestSpecification anonymous() {
        return given();
    }

    /** A new user with these roles (learner when none) and an API key carrying all of them. */
    public static Caller newUser(String... roles) {
        return create("\"displayName\":\"Test user\"", roles);
    }

    /** A new user the auth server knows by this subject (the platform's own user id), as {@link #newUser}. */
    public static Caller newUserWithSubject(String subject, String... roles) {
        return create("\"externalSubject\":\"" + subject + "\"", roles);
    }

    private static Caller create(String fields, String... roles) {
        String roleList = roles.length == 0 ? "[\"learner\"]" : "[\"" + String.join("\",\"", roles) + "\"]";
        String id = admin().contentType(ContentType.JSON)
                .body("{" + fields + ",\"roles\":" + roleList + "}")
                .when()
                .post("/api/v1/admin/users")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String key = admin().contentType(ContentType.JSON)
                .body("{\"name\":\"test\"}")
                .when()
                .post("/api/v1/admin/users/{id}/api-keys", id)
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        return new Caller(UUID.fromString(id), key);
    }
}
