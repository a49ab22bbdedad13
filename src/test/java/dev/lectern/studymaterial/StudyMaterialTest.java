package dev.lectern.studymaterial;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.lectern.support.Callers;
import dev.lectern.support.TestJwks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwks.class)
public class StudyMaterialTest {

    public static final String FLASHCARDS =
            "{\"topic\":\"ROS 2 topics\",\"contentType\":\"flashcards\",\"audienceLevel\":\"university\","
                    + "\"body\":{\"cards\":[{\"front\":\"Print messages on a topic?\",\"back\":\"ros2 topic echo\"},"
                    + "{\"front\":\"List topics?\",\"back\":\"ros2 topic list\"}]},\"qualityScore\":0.8,\"tags\":[\"ROS2\",\"cli\"],"
                    + "\"educationalStandards\":[{\"framework\":\"ros2-skills\",\"code\":\"ROS.COMM.1\"}],\"sourcePrompts\":[{\"role\":\"user\",\"content\":\"make cards\"}],"
                    + "\"model\":\"gpt-x\",\"generationMs\":1200}";

    static String create(Callers.Caller me, String json) {
        return me.request()
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void flashcardsAreMeasuredAndBecomeReviewItems() {
        Callers.Caller me = Callers.newUser();
        String id = me.request()
                .contentType(ContentType.JSON)
                .body(FLASHCARDS)
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(201)
                .body("wordCount", equalTo(13))
                .body("readingMinutes", equalTo(1))
                .body("tags", contains("ros2", "cli"))
                .body("educationalStandards[0].code", equalTo("ROS.COMM.1"))
                .body("body.cards", hasSize(2))
                .extract()
                .path("id");
        me.request()
                .when()
                .get("/api/v1/me/generated/{id}", id)
                .then()
                .statusCode(200)
                .body("model", equalTo("gpt-x"));
        List<String> items = me.request()
                .when()
                .post("/api/v1/me/generated/{id}/review-items", id)
                .then()
                .statusCode(201)
                .body("reviewItemIds", hasSize(2))
                .extract()
                .path("reviewItemIds");
        me.request()
                .when()
                .get("/api/v1/me/reviews/due")
                .then()
                .statusCode(200)
                .body("items.front", hasItem("Print messages on a topic?"))
                .body("items.back", hasItem("ros2 topic list"));
        // A retry (a lost response, a double click) creates nothing and answers the same ids.
        me.request()
                .when()
                .post("/api/v1/me/generated/{id}/review-items", id)
                .then()
                .statusCode(200)
                .body("reviewItemIds", equalTo(items));
        me.request().when().get("/api/v1/me/reviews/due").then().statusCode(200).body("items", hasSize(2));
        // Another user's set is not theirs to turn into items.
        Callers.newUser()
                .request()
                .when()
                .post("/api/v1/me/generated/{id}/review-items", id)
                .then()
                .statusCode(404);
    }

    @Test
    void bodiesAreValidatedPerType() {
        Callers.Caller me = Callers.newUser();
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"t\",\"contentType\":\"flashcards\",\"audienceLevel\":\"university\",\"body\":{\"cards\":[{\"front\":\"only\"}]}}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("body.cards[0]"));
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"t\",\"contentType\":\"quiz\",\"audienceLevel\":\"university\",\"body\":{\"questions\":[{\"question\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":\"c\"}]}}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("body.questions[0]"));
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"t\",\"contentType\":\"quiz\",\"audienceLevel\":\"high_school\",\"body\":{\"questions\":[{\"question\":\"2+2?\",\"options\":[\"3\",\"4\"],\"answer\":1}]}}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(201)
                .body("wordCount", equalTo(3));
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"t\",\"contentType\":\"summary\",\"audienceLevel\":\"university\",\"body\":{\"text\":\"no markdown\"}}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("body.markdown"));
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"t\",\"contentType\":\"poem\",\"audienceLevel\":\"toddler\",\"body\":{},\"qualityScore\":2}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("contentType"))
                .body("errors.field", hasItem("audienceLevel"))
                .body("errors.field", hasItem("qualityScore"));
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"topic\":\"t\",\"contentType\":\"summary\",\"audienceLevel\":\"university\",\"body\":{\"markdown\":\"x\"},\"chapterIds\":[\""
                                + UUID.randomUUID() + "\"]}")
                .when()
                .post("/api/v1/me/generated")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("chapterIds"));
        String summary = create(
                me,
                "{\"topic\":\"t\",\"contentType\":\"summary\",\"audienceLevel\":\"university\",\"body\":{\"markdown\":\"x\"}}");
        me.request()
                .when()
                .post("/api/v1/me/generated/{id}/review-items", summary)
                .then()
                .statusCode(409);
    }

    @Test
    void theListFiltersByTypeAudienceTagChapterAndTopicText() {
        Callers.Caller me = Callers.newUser();
        String book = dev.lectern.catalogue.CatalogueFixtures.uniqueSlug("gen");
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + book + "\",\"title\":\"G\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        String chapter = Callers.admin()
                .contentType("text/markdown")
                .body("# G\n\ntext\n")
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, "g")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String cards = create(me, FLASHCARDS);
        String guide = create(
                me,
                "{\"topic\":\"Coordinate frames and transforms\",\"contentType\":\"study_guide\",\"audienceLevel\":\"high_school\","
                        + "\"body\":{\"markdown\":\"# Frames\\n\\nmap, odom, base_link\"},\"tags\":[\"tf2\"],\"chapterIds\":[\""
                        + chapter + "\"]}");
        me.request().when().get("/api/v1/me/generated").then().statusCode(200).body("items.id", contains(guide, cards));
        me.request()
                .queryParam("type", "flashcards")
                .when()
                .get("/api/v1/me/generated")
                .then()
                .body("items.id", contains(cards));
        me.request()
                .queryParam("audience", "high_school")
                .when()
                .get("/api/v1/me/generated")
                .then()
                .body("items.id", contains(guide));
        me.request()
                .queryParam("tag", "ROS2")
                .when()
                .get("/api/v1/me/generated")
                .then()
                .body("items.id", contains(cards));
        me.request()
                .queryParam("chapter", chapter)
                .when()
                .get("/api/v1/me/generated")
                .then()
                .body("items.id", contains(guide));
        me.request()
                .queryParam("q", "transforms")
                .when()
                .get("/api/v1/me/generated")
                .then()
                .body("items.id", contains(guide));
        me.request()
                .queryParam("limit", 1)
                .when()
                .get("/api/v1/me/generated")
                .then()
                .body("items.id", contains(guide))
                .body("next", notNullValue());
        me.request()
                .queryParam("type", "poem")
                .when()
                .get("/api/v1/me/generated")
                .then()
                .statusCode(400);
        me.request().when().delete("/api/v1/me/generated/{id}", guide).then().statusCode(204);
        me.request().when().get("/api/v1/me/generated/{id}", guide).then().statusCode(404);
        me.request()
                .when()
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .body("generated.material", hasSize(1))
                .body("generated", hasKey("personalizedChapters"));
    }
}
