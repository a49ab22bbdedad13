package dev.lectern.catalogue.content;

import static dev.lectern.catalogue.CatalogueFixtures.chapter;
import static dev.lectern.catalogue.CatalogueFixtures.putChapter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.SqlStatements;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No N+1: reads issue a fixed number of SQL statements whatever the number of rows. */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class StatementCountTest {

    @Test
    void theChapterListRunsAFixedNumberOfStatementsWhateverThePageSize() {
        String framework = CatalogueFixtures.frameworkWithOutcomes("N.1", "N.2");
        String small = CatalogueFixtures.newBook();
        String large = CatalogueFixtures.newBook();
        for (int i = 1; i <= 2; i++) {
            putChapter(small, "c" + i, chapter("C" + i, i, "beginner", 1, framework + "/N.1"))
                    .statusCode(201);
        }
        for (int i = 1; i <= 25; i++) {
            putChapter(large, "c" + i, chapter("C" + i, i, "beginner", 1, framework + "/N.1", framework + "/N.2"))
                    .statusCode(201);
        }
        List<String> forSmall = SqlStatements.during(() -> given().queryParam("limit", 100)
                .get("/api/v1/books/{book}/chapters", small)
                .then()
                .statusCode(200));
        List<String> forLarge = SqlStatements.during(() -> given().queryParam("limit", 100)
                .get("/api/v1/books/{book}/chapters", large)
                .then()
                .statusCode(200));
        assertThat(forSmall).isNotEmpty();
        assertThat(forLarge).hasSize(forSmall.size()).hasSizeLessThanOrEqualTo(3);
        // A list shows no Markdown: the chapters' bodies (and their hashes) stay in the database.
        assertThat(forLarge)
                .filteredOn(sql -> sql.contains("from chapters"))
                .isNotEmpty()
                .allSatisfy(sql ->
                        assertThat(sql).doesNotContainPattern("\\.body\\b").doesNotContain("content_hash"));
    }

    @Test
    void theChapterReadRunsAFixedNumberOfStatementsWhateverItsSections() {
        String book = CatalogueFixtures.newBook();
        putChapter(book, "short", chapter("Short", 1, "beginner", 1)).statusCode(201);
        putChapter(book, "long", chapter("Long", 2, "beginner", 40)).statusCode(201);
        List<String> forShort =
                SqlStatements.during(() -> given().get("/api/v1/books/{book}/chapters/{c}", book, "short")
                        .then()
                        .statusCode(200));
        List<String> forLong = SqlStatements.during(() -> given().get("/api/v1/books/{book}/chapters/{c}", book, "long")
                .then()
                .statusCode(200));
        assertThat(forShort).isNotEmpty();
        assertThat(forLong).hasSize(forShort.size()).hasSizeLessThanOrEqualTo(2);
        List<String> again = SqlStatements.during(() -> given().get("/api/v1/books/{book}/chapters/{c}", book, "long")
                .then()
                .statusCode(200));
        // Served from the serialised copy: only ChapterReads' version check, on the reactive client, not Hibernate.
        assertThat(again).as("a repeated read").isEmpty();
    }
}
