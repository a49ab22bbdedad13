package dev.lectern.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

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
class ConversationTest {

    static String newConversation(Callers.Caller me, String title) {
        return me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"" + title + "\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void messagesKeepTheirSourcesAndOrder() {
        Callers.Caller me = Callers.newUser();
        String id = newConversation(me, "QoS questions");
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"clientMessageId\":\"m1\",\"role\":\"user\",\"content\":\"What is QoS?\",\"selectedText\":\"Quality of Service\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(201)
                .body("role", equalTo("user"))
                .body("selectedText", equalTo("Quality of Service"));
        me.request()
                .contentType(ContentType.JSON)
                .body(
                        "{\"clientMessageId\":\"m2\",\"role\":\"assistant\",\"content\":\"QoS policies [1]\",\"model\":\"gpt-x\","
                                + "\"promptTokens\":120,\"completionTokens\":40,\"latencyMs\":850,\"sources\":[{\"chunkId\":\""
                                + UUID.randomUUID()
                                + "\",\"book\":\"ros2-fundamentals\",\"chapter\":\"nodes-and-topics\",\"sectionNumber\":5,\"anchor\":\"qos\",\"score\":0.83}]}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(201)
                .body("sources[0].anchor", equalTo("qos"))
                .body("sources[0].score", equalTo(0.83f))
                .body("completionTokens", equalTo(40));

        me.request()
                .when()
                .get("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(200)
                .body("items.clientMessageId", contains("m1", "m2"))
                .body("items[1].sources[0].chapter", equalTo("nodes-and-topics"))
                .body("next", nullValue());
        me.request()
                .when()
                .get("/api/v1/me/conversations/{id}", id)
                .then()
                .statusCode(200)
                .body("messageCount", equalTo(2))
                .body("lastMessageAt", notNullValue())
                .body("title", equalTo("QoS questions"));
    }

    @Test
    void aRetriedAppendIsStoredAndCountedOnce() {
        Callers.Caller me = Callers.newUser();
        String id = newConversation(me, "retry");
        String body = "{\"clientMessageId\":\"same\",\"role\":\"user\",\"content\":\"hello\"}";
        String first = me.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String second = me.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        assertThat(second).isEqualTo(first);
        me.request().when().get("/api/v1/me/conversations/{id}", id).then().body("messageCount", equalTo(1));
    }

    @Test
    void longHistoriesPageInOrder() {
        Callers.Caller me = Callers.newUser();
        String id = newConversation(me, "long");
        for (int i = 0; i < 7; i++) {
            me.request()
                    .contentType(ContentType.JSON)
                    .body("{\"role\":\"user\",\"content\":\"m" + i + "\"}")
                    .when()
                    .post("/api/v1/me/conversations/{id}/messages", id)
                    .then()
                    .statusCode(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = me.request().queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when()
                    .get("/api/v1/me/conversations/{id}/messages", id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.content"));
            cursor = page.getString("next");
        } while (cursor != null);
        assertThat(seen).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6");
    }

    @Test
    void conversationsListNewestFirstAndCanBeRenamedAndDeleted() {
        Callers.Caller me = Callers.newUser();
        String a = newConversation(me, "a");
        String b = newConversation(me, "b");
        me.request()
                .when()
                .get("/api/v1/me/conversations")
                .then()
                .statusCode(200)
                .body("items.id", contains(b, a));
        me.request()
                .queryParam("limit", 1)
                .when()
                .get("/api/v1/me/conversations")
                .then()
                .body("items.id", contains(b))
                .body("next", notNullValue());
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"title\":\"renamed\"}")
                .when()
                .patch("/api/v1/me/conversations/{id}", a)
                .then()
                .statusCode(200)
                .body("title", equalTo("renamed"));
        me.request().when().delete("/api/v1/me/conversations/{id}", a).then().statusCode(204);
        me.request()
                .when()
                .get("/api/v1/me/conversations/{id}", a)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        me.request().when().get("/api/v1/me/conversations").then().body("items.id", contains(b));
    }

    @Test
    void aServiceWritesForALearner() {
        Callers.Caller service = Callers.newUser("service");
        Callers.Caller learner = Callers.newUser();
        String id = service.request()
                .header("X-On-Behalf-Of", learner.id().toString())
                .contentType(ContentType.JSON)
                .body("{\"title\":\"from the chat service\",\"book\":\"" + bookSlug() + "\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        service.request()
                .header("X-On-Behalf-Of", learner.id().toString())
                .contentType(ContentType.JSON)
                .body("{\"role\":\"assistant\",\"content\":\"hi\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(201);
        learner.request()
                .when()
                .get("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        learner.request().when().get("/api/v1/me/conversations").then().body("items[0].book", notNullValue());
        service.request().when().get("/api/v1/me/conversations/{id}", id).then().statusCode(404);
    }

    @Test
    void badMessagesAndBooksAreRejected() {
        Callers.Caller me = Callers.newUser();
        String id = newConversation(me, "bad");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"role\":\"robot\",\"content\":\"x\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("role"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"role\":\"user\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("content"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"role\":\"user\",\"content\":\"x\",\"sources\":[{\"sectionNumber\":0}]}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("sources[0].sectionNumber"));
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"role\":\"user\",\"content\":\"x\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", UUID.randomUUID())
                .then()
                .statusCode(404);
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"book\":\"no-such-book-conv\"}")
                .when()
                .post("/api/v1/me/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("book"));
        me.request()
                .queryParam("cursor", "junk")
                .when()
                .get("/api/v1/me/conversations")
                .then()
                .statusCode(400);
    }

    @Test
    void conversationsJoinTheExport() {
        Callers.Caller me = Callers.newUser();
        String id = newConversation(me, "exported");
        me.request()
                .contentType(ContentType.JSON)
                .body("{\"role\":\"user\",\"content\":\"remember me\"}")
                .when()
                .post("/api/v1/me/conversations/{id}/messages", id)
                .then()
                .statusCode(201);
        me.request()
                .when()
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .body("conversations", hasSize(1))
                .body("conversations[0].messages[0].content", equalTo("remember me"));
    }

    private static String bookSlug() {
        String slug = dev.lectern.catalogue.CatalogueFixtures.uniqueSlug("conv");
        Callers.admin()
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"C\",\"published\":true}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        return slug;
    }
}
