package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.RawHttp;
import dev.lectern.support.RawHttp.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors the HTTP layer produces before a resource is chosen (body limits on chunked uploads, over-long request lines
 * and headers, headers the decoder refuses, unsupported methods and media types) are problem+json like every other
 * error. Raw sockets, because HTTP clients refuse to send most of these requests.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class HttpLayerProblemsTest {

    /** Over the test profile's 8 MiB body limit. */
    private static final long OVERSIZE = 9L * 1024 * 1024;

    @TestHTTPResource("/")
    URI server;

    @Test
    void aChunkedJsonBodyOverTheLimitIsA413Problem() throws Exception {
        Answer answer = RawHttp.chunked(server, post("/api/v1/books", "application/json"), OVERSIZE, (byte) ' ');

        assertProblem(answer, 413);
        assertThat(answer.body()).contains("larger than 8388608 bytes");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsServedAsUsual() throws Exception {
        String slug = CatalogueFixtures.uniqueSlug("chunked");
        byte[] json = ("{\"slug\":\"" + slug + "\",\"title\":\"Chunked\",\"language\":\"en\"}").getBytes();

        Answer answer = RawHttp.chunked(server, post("/api/v1/books", "application/json"), json);

        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(answer.body()).contains(slug);
    }

    @Test
    void aChunkedZipOverTheLimitIsA413Problem() throws Exception {
        String book = CatalogueFixtures.newBook();

        Answer answer = RawHttp.chunked(
                server, post("/api/v1/books/" + book + "/import", "application/zip"), OVERSIZE, (byte) 0);

        assertProblem(answer, 413);
    }

    @Test
    void aRequestLineOverTheLimitIsA414Problem() throws Exception {
        Answer answer = RawHttp.exchange(server, get("/api/v1/books?q=" + "a".repeat(10_000), "X-Trace: 1"), null);

        assertProblem(answer, 414);
    }

    @Test
    void aRequestTargetJustWithinTheLimitPassesTheLimit() throws Exception {
        String target = "/api/v1/books?limit=5&x=";
        Answer answer = RawHttp.exchange(server, get(target + "a".repeat(4096 - target.length()), "X-Trace: 1"), null);

        assertThat(answer.status()).as("%s", answer).isNotEqualTo(414).isLessThan(500);
    }

    @Test
    void aRequestLineManyTimesTheLimitIsStillA414Problem() throws Exception {
        Answer answer = RawHttp.exchange(server, get("/api/v1/books?q=" + "a".repeat(60_000), "X-Trace: 1"), null);

        assertProblem(answer, 414);
    }

    @Test
    void headersOverTheLimitAreA431Problem() throws Exception {
        Answer answer = RawHttp.exchange(server, get("/api/v1/books", "X-Padding: " + "p".repeat(20_000)), null);

        assertProblem(answer, 431);
    }

    @Test
    void manyHeadersTogetherOverTheLimitAreA431Problem() throws Exception {
        StringBuilder many = new StringBuilder("X-Trace: 1");
        for (int i = 0; i < 250; i++) {
            many.append("\r\nX-Padding-").append(i).append(": ").append("p".repeat(200));
        }
        Answer answer = RawHttp.exchange(server, get("/api/v1/books", many.toString()), null);

        assertProblem(answer, 431);
    }

    /**
     * What the HTTP/1.1 decoder refuses never reaches a route, so the application cannot shape the answer (see
     * HttpLayerProblems): it is a 400 with no body and the connection closed, never a 5xx and never a request that
     * runs.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: abc\0def",
                "GET /api/v1/books HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"a\0b\"",
                "GET /api/v1/books HTTP/1.1 extra\r\nHost: localhost"
            })
    void whatTheDecoderRefusesIsAnEmpty400(String head) throws Exception {
        Answer answer = RawHttp.exchange(server, head, null);

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.body()).isEmpty();
    }

    /**
     * A Host header the router cannot read (a port out of range, an unclosed IPv6 bracket, no host at all) is refused by
     * Vert.x Web before any route runs; it was Quarkus' JSON error page with an error id, logged as an ERROR.
     */
    @ParameterizedTest
    @ValueSource(strings = {"localhost:99999", "[::1", "ZAP%n%s%n%s", "a b"})
    void aHostTheRouterCannotReadIsA400Problem(String host) throws Exception {
        Answer answer = RawHttp.exchange(server, "GET /api/v1/books HTTP/1.1\r\nHost: " + host, null);

        assertProblem(answer, 400);
    }

    /**
     * A request target that is not a URI (a malformed percent-escape, a character a URI may not hold) was an empty 400
     * from Quarkus' root handler, before any route or filter could shape it.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/books?x=%",
                "/api/v1/books?limit=%zz",
                "/api/v1/books/%zz",
                "/api/v1/frameworks/%u0041/outcomes",
                "/api/v1/books?q=a|b",
                "/api/v1/nope%zz",
                "/q/health/ready%"
            })
    void aRequestTargetThatIsNotAUriIsA400Problem(String target) throws Exception {
        Answer answer = RawHttp.exchange(server, get(target, "X-Trace: 1"), null);

        assertProblem(answer, 400);
        assertThat(answer.body()).contains("not a valid URI");
    }

    @Test
    void aWellFormedTargetWithEscapesIsServedAsUsual() throws Exception {
        Answer answer = RawHttp.exchange(server, get("/api/v1/books?limit=5&x=%7C%25%20%C3%A9", "X-Trace: 1"), null);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    }

    /**
     * A chunk size that is not hexadecimal: the decoder gives up and Vert.x closes the connection. Quarkus logged it as a
     * server error, twice, with a stack trace, so any client could fill the log.
     */
    @Test
    void aMalformedChunkIsNotLoggedAsAServerError() throws Exception {
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        try {
            for (int i = 0; i < 3; i++) {
                try {
                    RawHttp.exchange(
                            server,
                            post("/api/v1/search", "application/json") + "\r\nTransfer-Encoding: chunked",
                            "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException closed) {
                    // Vert.x closes the connection without an answer.
                }
            }
            // The answer is exchanged and logged on an event loop after the connection closes.
            Thread.sleep(500);
        } finally {
            root.removeHandler(handler);
        }

        assertThat(errors).extracting(LogRecord::getMessage).isEmpty();
        assertThat(RawHttp.exchange(server, get("/api/v1/books", "X-Trace: 1"), null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anUnsupportedMethodIsA405Problem() throws Exception {
        Answer answer = RawHttp.exchange(
                server,
                "PATCH /api/v1/books HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AsAdmin.ADMIN_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2",
                "{}".getBytes());

        assertProblem(answer, 405);
    }

    @Test
    void anUnsupportedContentTypeIsA415Problem() throws Exception {
        Answer answer = RawHttp.exchange(
                server,
                "POST /api/v1/books HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AsAdmin.ADMIN_KEY
                        + "\r\nContent-Type: text/plain\r\nContent-Length: 2",
                "{}".getBytes());

        assertProblem(answer, 415);
    }

    @Test
    void anUnproducibleAcceptIsA406Problem() throws Exception {
        Answer answer = RawHttp.exchange(server, get("/api/v1/books", "Accept: image/png"), null);

        assertProblem(answer, 406);
    }

    private static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers;
    }

    private static String post(String target, String contentType) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AsAdmin.ADMIN_KEY
                + "\r\nContent-Type: " + contentType;
    }

    private static void assertProblem(Answer answer, int status) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as("type of %s", answer).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(answer.body())
                .as("body of %s", answer)
                .contains("\"type\":\"" + Problem.TYPE_BASE)
                .contains("\"title\":")
                .contains("\"status\":" + status);
    }
}
