package dev.lectern.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Learning Record Store in the test: a Vert.x HTTP server on a free port serving {@code POST /xapi/statements}. It
 * checks what an LRS must (the version header, Basic auth, each statement's shape: a UUID id, an account actor, IRIs
 * for verb and object, an ISO 8601 timestamp, the result each verb carries) and records what it takes. A statement
 * that breaks a rule is a problem the tests assert never happens; one whose activity name contains {@link #REFUSE} is
 * refused with 400 as an LRS refuses a statement it will not store. Tests can script the next answers (503 while
 * "down", or store-then-503: an LRS that stored a batch but whose answer was lost).
 */
public class StubLrs implements QuarkusTestResourceLifecycleManager {

    static final String USER = "lectern-test";
    static final String PASSWORD = "s3cret:with colon";
    static final String HOME_PAGE = "https://platform.test";
    static final String BASE = "https://lectern.test";
    static final String REFUSE = "REFUSE-ME";
    /** Stores the batch, then answers 503. */
    static final int STORE_THEN_503 = -503;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    private static final Set<String> VERBS =
            Set.of("experienced", "progressed", "completed", "answered", "initialized", "terminated");

    /** Every statement stored, in arrival order. */
    static final List<JsonNode> STORED = new CopyOnWriteArrayList<>();

    /** Rules a statement or request broke: must stay empty. */
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();

    /** Answers to give next, whatever the request. */
    static final Queue<Integer> SCRIPT = new ConcurrentLinkedQueue<>();

    /** Statuses answered so far. */
    static final List<Integer> ANSWERED = new CopyOnWriteArrayList<>();

    static final AtomicInteger POSTS = new AtomicInteger();
    static volatile boolean down;

    private static final Map<String, JsonNode> BY_ID = new ConcurrentHashMap<>();

    /** How many times each statement id arrived in a batch the LRS read (not while down or scripted to fail). */
    static final Map<String, Integer> RECEIVED = new ConcurrentHashMap<>();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(StubLrs::handle);
        try {
            server = server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stub LRS did not start", e);
        }
        return Map.of(
                "lectern.xapi.endpoint",
                "http://127.0.0.1:" + server.actualPort() + "/xapi/",
                "lectern.xapi.username",
                USER,
                "lectern.xapi.password",
                PASSWORD,
                "lectern.xapi.activity-base",
                BASE + "/",
                "lectern.xapi.account-home-page",
                HOME_PAGE,
                "lectern.xapi.batch-size",
                "4");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    /** The stored statements whose actor's account name is {@code name}, oldest first. */
    static List<JsonNode> of(String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : STORED) {
            if (name.equals(s.path("actor").path("account").path("name").asText())) {
                out.add(s);
            }
        }
        out.sort(java.util.Comparator.comparing(s -> s.path("timestamp").asText()));
        return out;
    }

    private static void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            int status = answer(request, body.toString(StandardCharsets.UTF_8));
            ANSWERED.add(status);
            request.response().setStatusCode(status).end(status == 200 ? "[]" : "{\"error\":" + status + "}");
        });
    }

    private static int answer(HttpServerRequest request, String body) {
        POSTS.incrementAndGet();
        if (!request.method().name().equals("POST") || !request.path().equals("/xapi/statements")) {
            PROBLEMS.add("request to " + request.method() + " " + request.path());
            return 404;
        }
        if (!"1.0.3".equals(request.getHeader("X-Experience-API-Version"))) {
            PROBLEMS.add("X-Experience-API-Version: " + request.getHeader("X-Experience-API-Version"));
            return 400;
        }
        String expected =
                "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(request.getHeader("Authorization"))) {
            PROBLEMS.add("Authorization: " + request.getHeader("Authorization"));
            return 401;
        }
        if (request.getHeader("Content-Type") == null
                || !request.getHeader("Content-Type").startsWith("application/json")) {
            PROBLEMS.add("Content-Type: " + request.getHeader("Content-Type"));
            return 400;
        }
        if (down) {
            return 503;
        }
        Integer scripted = SCRIPT.poll();
        if (scripted != null && scripted > 0) {
            return scripted;
        }
        JsonNode batch;
        try {
            batch = JSON.readTree(body);
        } catch (Exception e) {
            PROBLEMS.add("not JSON: " + body);
            return 400;
        }
        if (!batch.isArray() || batch.isEmpty()) {
            PROBLEMS.add("not a non-empty array: " + body);
            return 400;
        }
        batch.forEach(statement -> RECEIVED.merge(statement.path("id").asText(), 1, Integer::sum));
        for (JsonNode statement : batch) {
            List<String> wrong = check(statement);
            if (!wrong.isEmpty()) {
                PROBLEMS.add(wrong + " in " + statement);
                return 400;
            }
            if (statement
                    .path("object")
                    .path("definition")
                    .path("name")
                    .path("en-US")
                    .asText()
                    .contains(REFUSE)) {
                return 400;
            }
        }
        for (JsonNode statement : batch) {
            if (BY_ID.containsKey(statement.path("id").asText())) {
                return 409;
            }
        }
        for (JsonNode statement : batch) {
            BY_ID.put(statement.path("id").asText(), statement);
            STORED.add(statement);
        }
        return scripted != null && scripted == STORE_THEN_503 ? 503 : 200;
    }

    /** What an LRS checks of a statement (xAPI 1.0.3, Data 2.4), and what each of Lectern's verbs must carry. */
    static List<String> check(JsonNode s) {
        List<String> wrong = new ArrayList<>();
        if (!UUID_PATTERN.matcher(s.path("id").asText()).matches()) {
            wrong.add("id is not a UUID");
        }
        JsonNode actor = s.path("actor");
        if (!"Agent".equals(actor.path("objectType").asText())) {
            wrong.add("actor is not an Agent");
        }
        if (actor.has("mbox") || actor.has("mbox_sha1sum") || actor.has("openid")) {
            wrong.add("actor identified otherwise than by account");
        }
        if (!HOME_PAGE.equals(actor.path("account").path("homePage").asText())
                || actor.path("account").path("name").asText().isBlank()) {
            wrong.add("actor account without the home page and a name");
        }
        String verb = s.path("verb").path("id").asText();
        String name = verb.substring(verb.lastIndexOf('/') + 1);
        if (!iri(verb) || !verb.startsWith("http://adlnet.gov/expapi/verbs/") || !VERBS.contains(name)) {
            wrong.add("verb id " + verb);
        }
        if (s.path("verb").path("display").path("en-US").asText().isBlank()) {
            wrong.add("verb without display");
        }
        JsonNode object = s.path("object");
        if (!"Activity".equals(object.path("objectType").asText())
                || !iri(object.path("id").asText())) {
            wrong.add("object id is not an IRI");
        } else if (!object.path("id").asText().startsWith(BASE + "/")) {
            wrong.add("object id not under the activity base");
        }
        if (object.path("definition").path("name").path("en-US").asText().isBlank()) {
            wrong.add("object without a name");
        }
        try {
            OffsetDateTime.parse(s.path("timestamp").asText());
        } catch (DateTimeParseException e) {
            wrong.add("timestamp is not ISO 8601");
        }
        if (s.has("stored") || s.has("authority")) {
            wrong.add("stored or authority set by the client");
        }
        JsonNode result = s.path("result");
        switch (name) {
            case "progressed" -> {
                JsonNode p = result.path("extensions").path("https://w3id.org/xapi/cmi5/result/extensions/progress");
                if (!p.isInt() || p.asInt() < 0 || p.asInt() > 100) {
                    wrong.add("progressed without an integer progress 0..100");
                }
            }
            case "completed" -> {
                if (!result.path("completion").asBoolean(false)) {
                    wrong.add("completed without result.completion");
                }
            }
            case "answered" -> {
                double scaled = result.path("score").path("scaled").asDouble(-1);
                if (!result.path("success").isBoolean() || scaled < 0 || scaled > 1) {
                    wrong.add("answered without success and a scaled score");
                }
            }
            case "terminated" -> {
                if (!result.path("duration").asText().matches("^PT\\d+S$")) {
                    wrong.add("terminated without an ISO 8601 duration");
                }
            }
            default -> {
                if (s.has("result")) {
                    wrong.add(name + " with a result");
                }
            }
        }
        return wrong;
    }

    private static boolean iri(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute()
                    && (uri.getScheme().equals("http") || uri.getScheme().equals("https"));
        } catch (Exception e) {
            return false;
        }
    }
}
