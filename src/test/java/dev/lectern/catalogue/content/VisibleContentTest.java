package dev.lectern.catalogue.content;

import static dev.lectern.catalogue.CatalogueFixtures.chapter;
import static dev.lectern.catalogue.CatalogueFixtures.newBook;
import static dev.lectern.catalogue.CatalogueFixtures.putChapter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one answer to "does this chapter exist, and may this caller see it" (ChapterService.visibleIds, over the views
 * of V11) that every feature linking to chapters uses: live means the chapter and its book are not soft-deleted;
 * readers see only published chapters of published books.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class VisibleContentTest {

    @Inject
    ChapterService chapters;

    @Test
    void liveMeansChapterAndBookNotDeletedAndReadersSeeOnlyPublishedChaptersOfPublishedBooks() {
        String published = publishedBook();
        UUID readable = chapterIn(published, "readable", false);
        UUID draft = chapterIn(published, "draft", true);
        UUID deleted = chapterIn(published, "deleted", false);
        given().when()
                .delete("/api/v1/books/{b}/chapters/{c}", published, "deleted")
                .then()
                .statusCode(204);

        String unpublished = newBook();
        UUID inDraftBook = chapterIn(unpublished, "in-draft-book", false);

        String removed = publishedBook();
        UUID inDeletedBook = chapterIn(removed, "in-deleted-book", false);
        given().when().delete("/api/v1/books/{b}", removed).then().statusCode(204);

        UUID unknown = UUID.randomUUID();
        List<UUID> all = List.of(readable, draft, deleted, inDraftBook, inDeletedBook, unknown);

        assertThat(visible(all, true))
                .as("live, drafts included")
                .containsExactlyInAnyOrder(readable, draft, inDraftBook);
        assertThat(visible(all, false)).as("what a reader sees").containsExactly(readable);
        assertThat(visible(List.of(), false)).isEmpty();
    }

    private Set<UUID> visible(List<UUID> ids, boolean drafts) {
        return chapters.visibleIds(ids, drafts).await().atMost(Duration.ofSeconds(10));
    }

    private static String publishedBook() {
        String book = newBook();
        given().contentType(ContentType.JSON)
                .body("{\"published\":true}")
                .when()
                .patch("/api/v1/books/{book}", book)
                .then()
                .statusCode(200);
        return book;
    }

    private static UUID chapterIn(String book, String slug, boolean draft) {
        String markdown = chapter(slug, 1, "beginner", 1);
        if (draft) {
            markdown = markdown.replaceFirst("---\n", "---\ndraft: true\n");
        }
        return UUID.fromString(
                putChapter(book, slug, markdown).statusCode(201).extract().path("id"));
    }
}
