package dev.lectern.catalogue.importing;

import static dev.lectern.catalogue.CatalogueFixtures.chapter;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(AsAdmin.class)
class ImportResourceTest {

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aDocusaurusFolderImportsInSidebarOrder() {
        String book = CatalogueFixtures.newBook();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("docs/_category_.json", "{\"label\":\"Docs\",\"position\":1}");
        files.put("docs/intro.md", "---\ntitle: Intro\nsidebar_position: 1\n---\nWelcome.\n");
        files.put("docs/advanced/_category_.json", "{\"label\":\"Advanced\",\"position\":3}");
        files.put(
                "docs/advanced/01-tuning.mdx",
                "import Tabs from '@theme/Tabs';\n\n---\ntitle: Tuning\n---\n\n<Tabs>\n\n## Knobs\n\nTurn them.\n\n</Tabs>\n");
        files.put("docs/basics/_category_.json", "{\"label\":\"Basics\",\"position\":2}");
        files.put("docs/basics/02-second.md", "---\ntitle: Second\nsidebar_position: 2\n---\n## B\n\nb\n");
        files.put("docs/basics/01-first.md", "---\ntitle: First\nsidebar_position: 1\n---\n## A\n\na\n");
        files.put("docs/img/logo.png", "not markdown");

        importZip(book, CatalogueFixtures.zip(files))
                .statusCode(200)
                .body("created", equalTo(4))
                .body("failed", equalTo(0))
                .body("files.chapter", contains("intro", "first", "second", "tuning"))
                .body(
                        "files.sourcePath",
                        contains("intro.md", "basics/01-first.md", "basics/02-second.md", "advanced/01-tuning.mdx"))
                .body("files.number", contains(1, 2, 3, 4));

        given().when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .statusCode(200)
                .body("items.title", contains("Intro", "First", "Second", "Tuning"));
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "tuning")
                .then()
                .statusCode(200)
                .body("sourcePath", equalTo("advanced/01-tuning.mdx"))
                .body("sections.title", contains("Knobs"));

        importZip(book, CatalogueFixtures.zip(files))
                .statusCode(200)
                .body("unchanged", equalTo(4))
                .body("created", equalTo(0));
    }

    @Test
    void aRealDocusaurusBookImportsInItsSidebarOrderWithShortSlugsAndSourcePaths() {
        String book = CatalogueFixtures.newBook();
        importZip(book, CorpusZips.zip("redux-docs"))
                .statusCode(200)
                .body("order", equalTo("the sidebar in redux-docs/sidebars.js"))
                .body("created", equalTo(84))
                .body("failed", equalTo(0))
                .body("skipped", equalTo(2))
                .body(
                        "files.findAll { it.status == 'skipped' }.path",
                        contains(
                                "redux-docs/docs/components/_FundamentalsWarning.mdx",
                                "redux-docs/docs/introduction/README.md"));
        given().queryParam("limit", 3)
                .when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .statusCode(200)
                .body("items.slug", contains("getting-started", "installation", "why-rtk-is-redux-today"))
                .body(
                        "items.sourcePath",
                        contains(
                                "introduction/GettingStarted.md",
                                "introduction/Installation.md",
                                "introduction/why-rtk-is-redux-today.md"));
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "usage")
                .then()
                .statusCode(200)
                .body("sourcePath", equalTo("usage/index.md"))
                .body("title", equalTo("Usage Guides Index"));

        importZip(book, CorpusZips.zip("redux-docs"))
                .statusCode(200)
                .body("unchanged", equalTo(84))
                .body("created", equalTo(0))
                .body("updated", equalTo(0));
    }

    @Test
    void reorderedAndMovedPagesUpdateTheirChaptersInsteadOfAddingNewOnes() {
        String book = CatalogueFixtures.newBook();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("sidebars.js", "module.exports = { docs: ['guide/a', 'guide/b', 'c'] };");
        files.put("docs/guide/a.md", chapter("A", 0, "beginner", 1).replace("sidebar_position: 0\n", ""));
        files.put("docs/guide/b.md", chapter("B", 0, "beginner", 1).replace("sidebar_position: 0\n", ""));
        files.put("docs/c.md", chapter("C", 0, "beginner", 1).replace("sidebar_position: 0\n", ""));
        importZip(book, CatalogueFixtures.zip(files))
                .statusCode(200)
                .body("created", equalTo(3))
                .body("files.chapter", contains("a", "b", "c"));
        String bId = given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "b")
                .then()
                .extract()
                .path("id");

        // b moves to another folder and to the front; c moves up; a keeps its file but not its place.
        Map<String, String> moved = new LinkedHashMap<>();
        moved.put("sidebars.js", "module.exports = { docs: ['other/b', 'c', 'guide/a'] };");
        moved.put("docs/guide/a.md", files.get("docs/guide/a.md"));
        moved.put("docs/other/b.md", files.get("docs/guide/b.md"));
        moved.put("docs/c.md", files.get("docs/c.md"));
        importZip(book, CatalogueFixtures.zip(moved))
                .statusCode(200)
                .body("created", equalTo(0))
                .body("updated", equalTo(3))
                .body("files.chapter", contains("b", "c", "a"))
                .body("files.number", contains(1, 2, 3));
        given().when()
                .get("/api/v1/books/{book}/chapters", book)
                .then()
                .body("items.slug", contains("b", "c", "a"))
                .body("items.sourcePath", contains("other/b.md", "c.md", "guide/a.md"))
                .body("items.find { it.slug == 'b' }.id", equalTo(bId));
    }

    @Test
    void aBadFileIsReportedAndDoesNotAbortTheOthers() {
        String book = CatalogueFixtures.newBook();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a.md", chapter("Good A", 1, "beginner", 1));
        files.put("b.md", "---\ndifficulty: impossible\n---\nno title\n");
        files.put("c.md", chapter("Good C", 3, "beginner", 1));
        importZip(book, CatalogueFixtures.zip(files))
                .statusCode(200)
                .body("created", equalTo(2))
                .body("failed", equalTo(1))
                .body("files.find { it.path == 'b.md' }.status", equalTo("failed"))
                // Like Docusaurus, a page without a title takes one from its file name: only the difficulty is wrong.
                .body("files.find { it.path == 'b.md' }.errors.field", contains("difficulty"));
        given().when().get("/api/v1/books/{book}/chapters", book).then().body("items.slug", contains("a", "c"));
    }

    @Test
    void theSampleBookImports() throws IOException {
        CatalogueFixtures.defaultFrameworkWithOutcomes(
                "ROS.ARCH.1", "ROS.COMM.1", "ROS.COMM.2", "ROS.TF.1", "ROS.OPS.1");
        String book = CatalogueFixtures.newBook();
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : new String[] {
            "_category_.json",
            "01-what-is-ros2.md",
            "02-nodes-and-topics.md",
            "03-services-and-actions.md",
            "04-coordinate-frames.md",
            "05-launch-and-parameters.md"
        }) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("sample-book/docs/" + name)) {
                files.put("docs/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        importZip(book, CatalogueFixtures.zip(files))
                .statusCode(200)
                .body("created", equalTo(5))
                .body("failed", equalTo(0));
        given().when()
                .get("/api/v1/books/{book}/chapters/{chapter}", book, "nodes-and-topics")
                .then()
                .statusCode(200)
                .body("title", equalTo("Nodes and Topics"))
                .body("sections.anchor", org.hamcrest.Matchers.hasItem("qos"));
    }

    @Test
    void bodiesThatAreNotUsableZipsAre400() {
        String book = CatalogueFixtures.newBook();
        importZip(book, "definitely not a zip".getBytes(StandardCharsets.UTF_8))
                .statusCode(400)
                .contentType("application/problem+json");
        importZip(book, new byte[0]).statusCode(400).contentType("application/problem+json");
        importZip(book, CatalogueFixtures.zip(Map.of("readme.txt", "hi")))
                .statusCode(400)
                .body("detail", containsString(".md"));
        importZip(book, CatalogueFixtures.zip(Map.of("../evil.md", "# x\n")))
                .statusCode(400)
                .body("detail", containsString("outside"));
    }

    @Test
    void importingIntoAnUnknownBookIs404() {
        importZip("no-such-book-imp", CatalogueFixtures.zip(Map.of("a.md", "# A\n\ntext\n")))
                .statusCode(404)
                .contentType("application/problem+json");
    }

    /** POSTs a zip to the book's import endpoint. */
    private static ValidatableResponse importZip(String book, byte[] zip) {
        return given().contentType("application/zip")
                .body(zip)
                .when()
                .post("/api/v1/books/{book}/import", book)
                .then();
    }
}
