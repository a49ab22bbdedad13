package dev.lectern.xapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without an LRS (the test profile sets none) xAPI is off: no event writes a statement. */
@QuarkusTest
class XapiOffTest {

    @Test
    void withXapiOffNoEventWritesAStatement() throws Exception {
        Callers.Caller me = Callers.newUser();
        ProgressFixtures.Book book = ProgressFixtures.publishedBook(1);
        XapiTest.progress(me, book.chapterIds().get(0), 100);
        ProgressFixtures.review(me, ProgressFixtures.newCard(me, "off"), "good");
        ProgressFixtures.endSession(me, ProgressFixtures.newSession(me));

        assertThat(XapiTest.rows(me.id(), null)).isZero();
        me.request()
                .when()
                .get("/api/v1/me/xapi/statements")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
    }
}
