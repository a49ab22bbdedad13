package dev.lectern.catalogue;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.UUID;

/** Shared test data builders for the catalogue: each test makes its own, uniquely named book. */
public final class CatalogueFixtures {

    private CatalogueFixtures() {
    }

    public static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a book through the API and returns its slug. */
    public static String newBook() {
        String slug = uniqueSlug("book");
        given().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Test book\",\"language\":\"en\"}")
                .when().post("/api/v1/books")
                .then().statusCode(201);
        return slug;
    }
}
