package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the packaged application ({@code target/quarkus-app/quarkus-run.jar}, run by failsafe after
 * {@code package}), as Kubernetes does it: SIGTERM while a request is in flight. What Lectern promises (docs/database.md):
 * readiness turns DOWN at once; every request that reaches the server until the in-flight ones have finished is
 * served, not refused, and answered with {@code Connection: close}, so the client's next request opens a new connection
 * (which the load balancer, seeing readiness DOWN, sends to another replica); the in-flight request completes; the
 * variant purge, scheduled every second here, stops without a failure; the process exits within delay + timeout, with
 * the status of a JVM stopped by SIGTERM, and then refuses connections.
 */
class GracefulShutdownIT {

    private static final Duration DELAY = Duration.ofSeconds(3);
    private static final String ADMIN_KEY = "shutdown-it-admin-key";
    /** 128 + 15: what a JVM reports when SIGTERM stopped it. */
    private static final int SIGTERM_STATUS = 143;

    // HTTP/1.1, as load balancers and probes speak it (the JDK client would otherwise try an h2c upgrade).
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Process app;
    private Path log;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onSigtermReadinessGoesDownFirstInFlightRequestsFinishAndWorkersStopCleanly() throws Exception {
        start();
        String book = "shutdown-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send("POST", "/api/v1/books", "{\"slug\":\"" + book + "\",\"title\":\"Shutdown\"}")
                        .statusCode())
                .isEqualTo(201);

        // A chapter upload whose body arrives slowly: in flight from the server's point of view until the last byte.
        byte[] markdown = "---\ntitle: Last words\nsidebar_position: 1\n---\n## Part\n\nWritten while the pod stops.\n"
                .getBytes(StandardCharsets.UTF_8);
        try (Socket upload = new Socket("127.0.0.1", port)) {
            upload.setSoTimeout(30_000);
            OutputStream out = upload.getOutputStream();
            out.write(("PUT /api/v1/books/" + book + "/chapters/last-words HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: "
                            + ADMIN_KEY + "\r\nContent-Type: text/markdown\r\nContent-Length: " + markdown.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(markdown, 0, 10);
            out.flush();
            Thread.sleep(300);

            Instant sigterm = Instant.now();
            app.toHandle().destroy(); // SIGTERM

            awaitStatus("/q/health/ready", 503, Duration.ofSeconds(2));
            assertThat(Duration.between(sigterm, Instant.now()))
                    .as("readiness DOWN before the delay ends")
                    .isLessThan(DELAY);
            HttpResponse<String> duringDelay = send("GET", "/api/v1/books", null);
            assertThat(duringDelay.statusCode())
                    .as("still serving during the delay")
                    .isEqualTo(200);
            assertThat(duringDelay.headers().firstValue("Connection"))
                    .as("and asking the client to reconnect")
                    .hasValue("close");

            // Past the delay the server waits for this request; one that arrives meanwhile is served too, not refused.
            Thread.sleep(DELAY.plusMillis(1000).toMillis()
                    - Duration.between(sigterm, Instant.now()).toMillis());
            assertThat(app.isAlive()).as("waiting for the in-flight request").isTrue();
            HttpResponse<String> whileDraining = send("GET", "/api/v1/books", null);
            assertThat(whileDraining.statusCode())
                    .as("a new request while in-flight ones finish is served")
                    .isEqualTo(200);
            assertThat(whileDraining.headers().firstValue("Connection")).hasValue("close");
            out.write(markdown, 10, markdown.length - 10);
            out.flush();
            String response = readAll(upload.getInputStream());
            assertThat(response).as("the in-flight request completed").startsWith("HTTP/1.1 201");
        }

        assertThat(app.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("stopped in").doesNotContain("ERROR").doesNotContain("variant purge failed");
        assertThat(app.exitValue()).as("the status of a JVM stopped by SIGTERM").isEqualTo(SIGTERM_STATUS);
        assertThat(refused("/api/v1/books")).as("no longer listening").isTrue();
        assertThat(chapterExists(book, "last-words")).isTrue();
    }

    /**
     * ONNX Runtime frees its native environment in a JVM shutdown hook; were that hook to run beside Quarkus' graceful
     * shutdown, a model load or inference still running would crash the JVM in {@code libonnxruntime.so}. A dense search
     * loads the in-process model on first use: SIGTERM arrives while it loads, the search is still answered and the
     * process exits normally.
     */
    @Test
    void sigtermWhileTheEmbeddingModelLoadsStopsWithoutCrashing() throws Exception {
        start();
        HttpRequest search = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/search"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"What is a node?\",\"mode\":\"dense\"}"))
                .build();
        var answer = http.sendAsync(search, HttpResponse.BodyHandlers.ofString());
        awaitLog("Loading the in-process embedding model", Duration.ofSeconds(30));
        app.toHandle().destroy(); // SIGTERM

        assertThat(answer.get(30, TimeUnit.SECONDS).statusCode())
                .as("the search in flight is answered")
                .isIn(200, 503);
        assertThat(app.waitFor(40, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = Files.readString(log);
        assertThat(output)
                .doesNotContain("SIGSEGV")
                .doesNotContain("A fatal error has been detected")
                .contains("stopped in");
        assertThat(app.exitValue()).isEqualTo(SIGTERM_STATUS);
    }

    private void awaitLog(String line, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (!Files.readString(log).contains(line)) {
            assertThat(Instant.now())
                    .as("log line '%s'; log:%n%s", line, Files.readString(log))
                    .isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private void start() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar)
                .as("the packaged application (failsafe runs after package)")
                .exists();
        port = freePort();
        log = Path.of("target", "graceful-shutdown-it.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "-jar",
                jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put(
                "DATABASE_URL",
                "postgres://postgres@" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + TestDatabase.name());
        env.put("PORT", Integer.toString(port));
        env.put("LECTERN_ADMIN_API_KEY", ADMIN_KEY);
        env.put("LECTERN_SHUTDOWN_DELAY", DELAY.toSeconds() + "s");
        env.put("LECTERN_SHUTDOWN_TIMEOUT", "10s");
        env.put("LECTERN_VARIANTS_PURGE_EVERY", "1s");
        env.put("LECTERN_VARIANTS_PURGE_DELAY", "0s");
        app = builder.start();
        awaitStatus("/q/health/ready", 200, Duration.ofSeconds(60));
    }

    private HttpResponse<String> send(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("X-Api-Key", ADMIN_KEY);
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Not accepted at all: nothing listens on the port any more. */
    private boolean refused(String path) throws InterruptedException {
        try {
            send("GET", path, null);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void awaitStatus(String path, int status, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        Object last = null;
        while (Instant.now().isBefore(deadline)) {
            assertThat(app.isAlive())
                    .as("application running; log:\n%s", Files.exists(log) ? Files.readString(log) : "")
                    .isTrue();
            try {
                int actual = send("GET", path, null).statusCode();
                if (actual == status) {
                    return;
                }
                last = actual;
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " answered " + last + ", expected " + status + " within " + within);
    }

    private static boolean chapterExists(String book, String chapter) throws Exception {
        try (var db = TestDatabase.connect();
                var st = db.prepareStatement(
                        "SELECT count(*) FROM chapters c JOIN books b ON b.id = c.book_id WHERE b.slug = ? AND c.slug = ?")) {
            st.setString(1, book);
            st.setString(2, chapter);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
