package dev.lectern.catalogue.importing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.platform.ProblemException;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The import's size limit counts every entry's inflated size, files it skips included, and stops reading as soon as
 * the limit is passed: a small zip holding a huge non-page file is refused without being inflated.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class ArchiveBombTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aHugeSkippedFileIsA413ProblemOverHttp() {
        String book = CatalogueFixtures.newBook();
        // 100 MiB of zeros, about 100 KB zipped; the import limit is 64 MiB.
        byte[] zip = zipWithBomb(100 * MIB);

        given().contentType("application/zip")
                .body(zip)
                .when()
                .post("/api/v1/books/{book}/import", book)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("import limit"));
    }

    @Test
    void readingStopsAsSoonAsTheLimitIsPassed() {
        byte[] zip = zipWithBomb(64 * MIB);
        CountingStream counted = new CountingStream(new ByteArrayInputStream(zip));

        assertThatThrownBy(() -> DocsFolder.read(counted, 100, MIB))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(413));
        // One MiB of zeros inflates from about a kilobyte: nowhere near the whole archive was read.
        assertThat(counted.read).isLessThan(zip.length / 4);
    }

    @Test
    void skippedFilesWithinTheLimitStillImport() {
        byte[] zip = zipWithBomb(MIB / 2);

        DocsFolder.Layout layout = DocsFolder.read(new ByteArrayInputStream(zip), 100, MIB);

        assertThat(layout.docs()).hasSize(1);
    }

    /** A bomb of {@code size} zero bytes in docs/bomb.bin, before a one-page docs folder. */
    private static byte[] zipWithBomb(long size) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("docs/bomb.bin"));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < size; written += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, size - written));
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("docs/intro.md"));
            zip.write("---\ntitle: Intro\n---\n\nHello.\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static final class CountingStream extends FilterInputStream {

        long read;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }
    }
}
