package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.CatalogueFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

@QuarkusTest
@org.junit.jupiter.api.extension.ExtendWith(dev.lectern.support.AsAdmin.class)
class BodyLimitTest {

    @TestHTTPResource("/api/v1/books/")
    URI books;

    @Test
    void aBodyOverTheGlobalLimitIsA413ProblemBeforeItIsUploaded() throws Exception {
        String book = CatalogueFixtures.newBook();
        // Expect: 100-continue lets the server answer before the 9 MiB body (over the test limit of 8 MiB) is sent.
        HttpRequest request = HttpRequest.newBuilder(books.resolve(book + "/import"))
                .expectContinue(true)
                .header("Content-Type", "application/zip")
                .header("X-Api-Key", dev.lectern.support.AsAdmin.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[9 * 1024 * 1024]))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":413").contains("larger than 8388608 bytes");
    }
}
