package dev.lectern.catalogue;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Shared test data builders for the catalogue: each test makes its own, uniquely named data. */
public final class CatalogueFixtures {

    private CatalogueFixtures() {}

    public static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a book through the API and returns its slug. */
    public static String newBook() {
        return newBook(false);
    }

    /** Creates a book through the API, published or not, and returns its slug. */
    public static String newBook(boolean published) {
        return newBook(given(), published);
    }

    /** Creates a book through the API as {@code caller} (a test without the admin default), and returns its slug. */
    public static String newBook(RequestSpecification caller, boolean published) {
        String slug = uniqueSlug("book");
        caller.contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Test book\",\"language\":\"en\",\"published\":"
                        + published + "}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        return slug;
    }

    /** A chapter document with front matter and {@code sections} sections of a few sentences each. */
    public static String chapter(String title, int number, String difficulty, int sections, String... outcomes) {
        StringBuilder md = new StringBuilder("---\ntitle: ")
                .append(title)
                .append("\nsidebar_position: ")
                .append(number)
                .append("\ndifficulty: ")
                .append(difficulty)
                .append("\nsummary: About ")
                .append(title)
                .append('\n');
        if (outcomes.length > 0) {
            md.append("outcomes:\n");
            for (String outcome : outcomes) {
                md.append("  - ").append(outcome).append('\n');
            }
        }
        md.append("---\n\nWhy this chapter matters.\n");
        for (int i = 1; i <= sections; i++) {
            md.append("\n## Part ")
                    .append(i)
                    .append("\n\nThe text of part ")
                    .append(i)
                    .append(" explains one idea with an example and a short exercise.\n");
        }
        return md.toString();
    }

    public static ValidatableResponse putChapter(String book, String slug, String markdown) {
        return given().contentType("text/markdown")
                .body(markdown)
                .when()
                .put("/api/v1/books/{book}/chapters/{chapter}", book, slug)
                .then();
    }

    /** Creates a framework with the given outcome codes; returns the framework code. */
    public static String frameworkWithOutcomes(String... outcomeCodes) {
        return framework(false, outcomeCodes);
    }

    /**
     * Makes a new default framework: the test database outlives a run, so plain outcome codes may exist in older
     * frameworks too, and only the default framework resolves them unambiguously.
     */
    public static String defaultFrameworkWithOutcomes(String... outcomeCodes) {
        return framework(true, outcomeCodes);
    }

    private static String framework(boolean isDefault, String... outcomeCodes) {
        String code = uniqueSlug("fw");
        given().contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"name\":\"Framework " + code + "\",\"isDefault\":" + isDefault + "}")
                .when()
                .post("/api/v1/frameworks")
                .then()
                .statusCode(201);
        for (String outcome : outcomeCodes) {
            given().contentType(ContentType.JSON)
                    .body("{\"code\":\"" + outcome + "\",\"description\":\"Outcome " + outcome + "\"}")
                    .when()
                    .post("/api/v1/frameworks/{code}/outcomes", code)
                    .then()
                    .statusCode(201);
        }
        return code;
    }

    /** A zip archive of the given path → content entries. */
    public static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
