package dev.lectern.progress;

import static dev.lectern.support.Callers.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Drafts never reach learners through their own data: every write that names a book or chapter answers a draft (an
 * unpublished book, a draft chapter, a chapter of an unpublished book) exactly as it answers an id or slug that names
 * nothing, so a learner cannot even learn that the draft exists; authors keep writing against drafts. Views and the
 * export keep the learner's rows but never name content the caller cannot read (slug and title are null).
 */
@QuarkusTest
class DraftVisibilityTest {

    /** A published book with a published and a draft chapter, and an unpublished book with a chapter. */
    record Drafts(
            String publishedBook,
            UUID publishedChapter,
            UUID draftChapter,
            String unpublishedBook,
            UUID hiddenChapter) {

        List<UUID> unreadableChapters() {
            return List.of(draftChapter, hiddenChapter);
        }
    }

    static Drafts drafts() {
        String published = book(true);
        String unpublished = book(false);
        return new Drafts(
                published,
                chapter(published, "open", false),
                chapter(published, "secret-draft", true),
                unpublished,
                chapter(unpublished, "secret-hidden", false));
    }

    @Test
    void progressOnADraftAnswersAsForNoChapter() {
        Drafts d = drafts();
        Callers.Caller learner = Callers.newUser();
        for (UUID draft : d.unreadableChapters()) {
            assertAnswersAsForNothing(
                    id -> learner.request()
                            .contentType(ContentType.JSON)
                            .body("{\"percent\":10}")
                            .when()
                            .put("/api/v1/me/progress/chapters/{id}", id),
                    draft.toString(),
                    UUID.randomUUID().toString(),
                    404);
        }
        learner.request()
                .contentType(ContentType.JSON)
                .body("{\"percent\":10}")
                .when()
                .put("/api/v1/me/progress/chapters/{id}", d.publishedChapter())
                .then()
                .statusCode(200);
        Callers.Caller author = Callers.newUser("author");
        for (UUID draft : d.unreadableChapters()) {
            author.request()
                    .contentType(ContentType.JSON)
                    .body("{\"percent\":10}")
                    .when()
                    .put("/api/v1/me/progress/chapters/{id}", draft)
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void enrollingInAnUnpublishedBookAnswersAsForNoBook() {
        Drafts d = drafts();
        Callers.Caller learner = Callers.newUser();
        assertAnswersAsForNothing(
                slug -> learner.request().when().put("/api/v1/me/enrolments/books/{book}", slug),
                d.unpublishedBook(),
                CatalogueFixtures.uniqueSlug("nothing"),
                404);
        learner.request()
                .when()
                .put("/api/v1/me/enrolments/books/{book}", d.publishedBook())
                .then()
                .statusCode(201);
        Callers.newUser("author")
                .request()
                .when()
                .put("/api/v1/me/enrolments/books/{book}", d.unpublishedBook())
                .then()
                .statusCode(201);
    }

    @Test
    void reviewItemsTasksAndSessionsOnADraftAnswerAsForNoChapter() {
        Drafts d = drafts();
        Callers.Caller learner = Callers.newUser();
        Callers.Caller author = Callers.newUser("author");
        String task = postJson(learner, "/api/v1/me/tasks", "{\"title\":\"mine\"}")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Function<String, String>> writes = new LinkedHashMap<>();
        writes.put("/api/v1/me/review-items", id -> "{\"chapterId\":\"" + id + "\"}");
        writes.put("/api/v1/me/tasks", id -> "{\"title\":\"read it\",\"chapterId\":\"" + id + "\"}");
        writes.put("/api/v1/me/sessions", id -> "{\"chapterId\":\"" + id + "\"}");
        writes.put(
                "/api/v1/me/generated",
                id ->
                        "{\"topic\":\"drafts\",\"contentType\":\"summary\",\"audienceLevel\":\"university\",\"body\":{\"markdown\":\"x\"},"
                                + "\"chapterIds\":[\"" + id + "\"]}");
        for (var write : writes.entrySet()) {
            for (UUID draft : d.unreadableChapters()) {
                assertAnswersAsForNothing(
                        id -> postJson(learner, write.getKey(), write.getValue().apply(id)),
                        draft.toString(),
                        UUID.randomUUID().toString(),
                        400);
                postJson(author, write.getKey(), write.getValue().apply(draft.toString()))
                        .then()
                        .statusCode(201);
            }
            postJson(
                            learner,
                            write.getKey(),
                            write.getValue().apply(d.publishedChapter().toString()))
                    .then()
                    .statusCode(201);
        }
        for (UUID draft : d.unreadableChapters()) {
            assertAnswersAsForNothing(
                    id -> learner.request()
                            .contentType(ContentType.JSON)
                            .body("{\"chapterId\":\"" + id + "\"}")
                            .when()
                            .patch("/api/v1/me/tasks/{id}", task),
                    draft.toString(),
                    UUID.randomUUID().toString(),
                    400);
        }
    }

    @Test
    void conversationsOnAnUnpublishedBookOrCitingADraftAnswerAsForNothing() {
        Drafts d = drafts();
        Callers.Caller learner = Callers.newUser();
        assertAnswersAsForNothing(
                slug -> postJson(learner, "/api/v1/me/conversations", "{\"book\":\"" + slug + "\"}"),
                d.unpublishedBook(),
                CatalogueFixtures.uniqueSlug("nothing"),
                400);
        String conversation = postJson(learner, "/api/v1/me/conversations", "{\"book\":\"" + d.publishedBook() + "\"}")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Function<String, String> citing =
                id -> "{\"role\":\"assistant\",\"content\":\"see [1]\",\"sources\":[{\"chapterId\":\""
                        + d.publishedChapter() + "\"},{\"chapterId\":\"" + id + "\"}]}";
        for (UUID draft : d.unreadableChapters()) {
            assertAnswersAsForNothing(
                    id -> postJson(learner, "/api/v1/me/conversations/" + conversation + "/messages", citing.apply(id)),
                    draft.toString(),
                    UUID.randomUUID().toString(),
                    400);
        }
        postJson(
                        learner,
                        "/api/v1/me/conversations/" + conversation + "/messages",
                        citing.apply(d.publishedChapter().toString()))
                .then()
                .statusCode(201);

        Callers.Caller author = Callers.newUser("author");
        String authored = postJson(author, "/api/v1/me/conversations", "{\"book\":\"" + d.unpublishedBook() + "\"}")
                .then()
                .statusCode(201)
                .body("book", equalTo(d.unpublishedBook()))
                .extract()
                .path("id");
        postJson(
                        author,
                        "/api/v1/me/conversations/" + authored + "/messages",
                        citing.apply(d.draftChapter().toString()))
                .then()
                .statusCode(201);
    }

    @Test
    void personalisedChaptersOfDraftsAnswerAsForNoChapter() {
        Drafts d = drafts();
        Callers.Caller learner = Callers.newUser();
        Function<String, Response> personalise = id -> learner.request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"# Mine\"}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", id);
        for (UUID draft : d.unreadableChapters()) {
            assertAnswersAsForNothing(
                    personalise, draft.toString(), UUID.randomUUID().toString(), 404);
        }
        Callers.newUser("author")
                .request()
                .contentType(ContentType.JSON)
                .body("{\"body\":\"# Mine\"}")
                .when()
                .put("/api/v1/me/chapters/{id}/personalized", d.draftChapter())
                .then()
                .statusCode(200);

        // Stored while the book was published, then the book is unpublished: no longer served to the learner.
        String book = book(true);
        UUID chapter = chapter(book, "personal", false);
        personalise.apply(chapter.toString()).then().statusCode(200);
        learner.request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter)
                .then()
                .statusCode(200);
        admin().contentType(ContentType.JSON)
                .body("{\"published\":false}")
                .when()
                .patch("/api/v1/books/{book}", book)
                .then()
                .statusCode(200);
        learner.request()
                .when()
                .get("/api/v1/me/chapters/{id}/personalized", chapter)
                .then()
                .statusCode(404);
    }

    @Test
    void viewsAndTheExportNeverNameContentThatWasUnpublishedAfterwards() {
        String book = book(true);
        String chapterTitle = "Title " + CatalogueFixtures.uniqueSlug("secret");
        UUID chapter = UUID.fromString(putChapter(book, "later-hidden", markdown(chapterTitle, false))
                .statusCode(201)
                .extract()
                .path("id"));
        Callers.Caller learner = Callers.newUser();
        Callers.Caller author = Callers.newUser("author");
        for (Callers.Caller who : List.of(learner, author)) {
            who.request()
                    .contentType(ContentType.JSON)
                    .body("{\"percent\":30}")
                    .when()
                    .put("/api/v1/me/progress/chapters/{id}", chapter)
                    .then()
                    .statusCode(200);
            who.request()
                    .when()
                    .put("/api/v1/me/enrolments/books/{book}", book)
                    .then()
                    .statusCode(201);
            postJson(who, "/api/v1/me/conversations", "{\"title\":\"about it\",\"book\":\"" + book + "\"}")
                    .then()
                    .statusCode(201);
        }
        learner.request()
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .body("items[0].chapterTitle", equalTo(chapterTitle));

        // The chapter becomes a draft again: the learner keeps the row, but no longer sees the chapter's name.
        putChapter(book, "later-hidden", markdown(chapterTitle, true)).statusCode(200);
        learner.request()
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .statusCode(200)
                .body("items[0].chapterId", equalTo(chapter.toString()))
                .body("items[0].percent", equalTo(30.0f))
                .body("items[0].chapterTitle", nullValue())
                .body("items[0].chapterSlug", nullValue())
                .body("items[0].book", equalTo(book));

        // Then the whole book is unpublished: not even its slug is named any more.
        admin().contentType(ContentType.JSON)
                .body("{\"published\":false}")
                .when()
                .patch("/api/v1/books/{book}", book)
                .then()
                .statusCode(200);
        learner.request()
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .body("items[0].chapterId", equalTo(chapter.toString()))
                .body("items[0].book", nullValue());
        learner.request()
                .when()
                .get("/api/v1/me/enrolments")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.hasSize(1))
                .body("items[0].type", equalTo("book"))
                .body("items[0].book", nullValue());
        learner.request()
                .when()
                .get("/api/v1/me/conversations")
                .then()
                .statusCode(200)
                .body("items[0].title", equalTo("about it"))
                .body("items[0].book", nullValue());
        for (String path : List.of(
                "/api/v1/me/progress/recent",
                "/api/v1/me/enrolments",
                "/api/v1/me/conversations",
                "/api/v1/me/export")) {
            String body = learner.request()
                    .when()
                    .get(path)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(body)
                    .as(path)
                    .doesNotContain(book)
                    .doesNotContain(chapterTitle)
                    .doesNotContain("later-hidden");
        }
        assertThat(learner.request().when().get("/api/v1/me/export").asString()).contains(chapter.toString());

        // An author still reads the drafts, so their own views name them as before.
        author.request()
                .when()
                .get("/api/v1/me/progress/recent")
                .then()
                .body("items[0].chapterTitle", equalTo(chapterTitle))
                .body("items[0].book", equalTo(book));
        author.request().when().get("/api/v1/me/enrolments").then().body("items[0].book", equalTo(book));
        author.request().when().get("/api/v1/me/conversations").then().body("items[0].book", equalTo(book));
        assertThat(author.request().when().get("/api/v1/me/export").asString()).contains(book);
    }

    /**
     * The write answers a draft exactly as it answers a reference to nothing: the same status and the same problem
     * document once the reference itself is blanked out.
     */
    private static void assertAnswersAsForNothing(
            Function<String, Response> write, String draft, String nothing, int status) {
        Response forNothing = write.apply(nothing);
        Response forDraft = write.apply(draft);
        assertThat(forNothing.statusCode()).as("a reference to nothing").isEqualTo(status);
        assertThat(forDraft.statusCode()).as("a reference to a draft").isEqualTo(status);
        assertThat(forDraft.contentType()).isEqualTo(forNothing.contentType());
        assertThat(forDraft.asString().replace(draft, "REF"))
                .isEqualTo(forNothing.asString().replace(nothing, "REF"));
    }

    private static Response postJson(Callers.Caller who, String path, String json) {
        return who.request().contentType(ContentType.JSON).body(json).when().post(path);
    }

    private static String book(boolean published) {
        String slug = CatalogueFixtures.uniqueSlug("drafts");
        admin().contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"title\":\"Book " + slug + "\",\"published\":" + published + "}")
                .when()
                .post("/api/v1/books")
                .then()
                .statusCode(201);
        return slug;
    }

    private static UUID chapter(String book, String slug, boolean draft) {
        String id = putChapter(book, slug, markdown("Chapter " + slug, draft))
                .statusCode(201)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    private static ValidatableResponse putChapter(String book, String slug, String markdown) {
        return admin().contentType("text/markdown")
                .body(markdown)
                .when()
                .put("/api/v1/books/{b}/chapters/{c}", book, slug)
                .then();
    }

    private static String markdown(String title, boolean draft) {
        return "---\ntitle: " + title + "\nsidebar_position: 1\ndraft: " + draft + "\n---\n## Part\n\nSome text.\n";
    }
}
