package dev.lectern.catalogue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ChapterResourceTest {

    @Test
    void aChapterUploadedAsMarkdownIsServedWithItsSections() {
        String book = CatalogueFixtures.newBook();
        String md = """
                ---
                title: Nodes and Topics
                sidebar_position: 2
                difficulty: beginner
                summary: How nodes talk.
                ---
                Intro text.

                ## Publishers

                A publisher sends.

                ```bash
                # not a heading
                ros2 topic echo /chatter
                ```

                ## Subscribers {#subs}

                A subscriber receives.
                """;
        given().contentType("text/markdown").body(md)
                .when().put("/api/v1/books/{book}/chapters/{chapter}", book, "nodes")
                .then().statusCode(201)
                .header("ETag", notNullValue())
                .body("title", equalTo("Nodes and Topics"))
                .body("number", equalTo(2))
                .body("sections", hasSize(3))
                .body("sections.anchor", contains("introduction", "publishers", "subs"));

        given().when().get("/api/v1/books/{book}/chapters/{chapter}", book, "nodes")
                .then().statusCode(200)
                .body("sections[1].body", org.hamcrest.Matchers.containsString("# not a heading"));
    }
}
