package dev.lectern.catalogue.content;

import static dev.lectern.catalogue.CatalogueFixtures.putChapter;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A chapter nested deeper than the parser can safely take is a 400 problem, quickly, never a stack overflow. */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class HostileMarkdownTest {

    static Stream<Arguments> deepDocuments() {
        return Stream.of(
                Arguments.of("a blockquote 50,000 deep", ">".repeat(50_000) + " deep"),
                Arguments.of("a list 50,000 deep", "- ".repeat(50_000) + "deep"),
                Arguments.of("emphasis 200,000 deep", "*x ".repeat(200_000) + "y" + " x*".repeat(200_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepDocuments")
    void isA400ProblemOnTheBody(String name, String body) {
        String book = CatalogueFixtures.newBook();

        putChapter(book, "deep", "---\ntitle: Hostile\n---\n\n" + body + "\n")
                .time(lessThan(20_000L))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("body"))
                .body("detail", containsString("body: "));
    }
}
