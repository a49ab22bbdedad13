package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of the OpenAPI document driven with hostile values, as an outside attacker would: NUL bytes, lone
 * surrogates, long strings, path traversal, emoji and right-to-left text, wrong JSON types, extreme numbers and dates,
 * malformed, duplicate-key and deeply nested JSON, wrong content types, empty bodies, forged cursors and odd
 * {@code Idempotency-Key}s, in path and query parameters and in every top-level field of a body built from the
 * operation's schema. No answer may be a 5xx, and every 4xx must be problem+json. The generator is bounded (a fixed list
 * of values, one field at a time), so the run takes about a minute.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class HostileInputFuzzTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    /** Operations not driven: a rebuild that would re-embed the whole test database. */
    private static final List<String> SKIPPED = List.of("POST /api/v1/admin/index/rebuild");

    /** Text that PostgreSQL, a parser or a path cannot take as it is. */
    private static final List<String> STRINGS = List.of(
            "\u0000",
            "a\u0000b",
            "\ud800",
            "x\udc00y",
            "../../../etc/passwd",
            "%00",
            "..%2f..%2f",
            "\ud83d\ude42\u200d\ud83d\udd25",
            "\u202eevil\u202c",
            "",
            " ",
            // Past the service's request-target limit (4 KiB: a 414 problem), within the HTTP decoder's (64 KiB),
            // beyond
            // which Vert.x answers an empty 414 itself (see HttpLayerProblems).
            "x".repeat(8_192));

    /** Values of the wrong type or out of any sane range, for any JSON field. */
    private static final List<JsonNode> VALUES = List.of(
            JSON.nullNode(),
            JSON.numberNode(12345),
            JSON.booleanNode(true),
            JSON.numberNode(1e308),
            JSON.numberNode(-1),
            JSON.numberNode(new java.math.BigInteger("99999999999999999999999")),
            JSON.numberNode(0.5),
            JSON.arrayNode(),
            JSON.objectNode(),
            JSON.arrayNode().addNull(),
            JSON.textNode("+294277-01-01T00:00:00Z"),
            JSON.textNode("-1000000000-01-01T00:00:00Z"),
            JSON.textNode("-4714-01-01T00:00:00Z"),
            JSON.textNode("+999999999-12-31"),
            JSON.textNode("-999999999-01-01"));

    /** Query parameter values besides {@link #STRINGS}. */
    private static final List<String> QUERY = List.of(
            "-1",
            "0",
            "99999999999999999999",
            "maybe",
            "+294277-01-01T00:00:00Z",
            "-999999999-01-01",
            "YzEfYm9va3MfAA");

    /** Whole bodies that are not what any operation accepts. */
    private static final List<String> RAW = List.of(
            "",
            "{",
            "null",
            "[]",
            "\"text\"",
            "{\"a\":1,\"a\":2}",
            "[".repeat(100_000),
            "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000),
            ">".repeat(50_000) + " deep",
            "- ".repeat(20_000) + "deep list",
            "# T\n\n\u0000");

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final List<String> failures = new ArrayList<>();
    private int requests;

    @Test
    void noRequestAnswersA5xxAndEvery4xxIsAProblem() throws Exception {
        JsonNode document = OpenApiContractTest.document();
        Map<String, String> known = fixtures();
        Callers.Caller user = Callers.newUser("learner", "author", "admin");

        List<Operation> operations = operations(document);
        for (Operation op : operations) {
            if (op.method().equals("DELETE") && op.path().equals("/api/v1/me")) {
                continue; // erases the caller: driven last, below
            }
            drive(op, document, known, user.apiKey());
            // Without credentials, one request each: a 401 (or, for public content, another) problem, never a 5xx.
            send(op, known, "", Map.of(), null, null, "anonymous");
        }
        drive(new Operation("DELETE", "/api/v1/me", MAPPER.createObjectNode()), document, known, user.apiKey());

        assertThat(requests).as("requests sent").isGreaterThan(2_000);
        assertThat(failures)
                .as(failures.size() + " of " + requests + " requests")
                .isEmpty();
    }

    private record Operation(String method, String path, JsonNode spec) {}

    /** Every operation of the document, deletes last so the fixtures live through the rest. */
    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        OpenApiContractTest.forEachOperation(document, (method, path, spec) -> {
            String id = method + " " + path;
            if (SKIPPED.stream().noneMatch(id::contains)) {
                operations.add(new Operation(method, path, spec));
            }
        });
        operations.sort(Comparator.comparing((Operation o) -> o.method().equals("DELETE")));
        return operations;
    }

    private void drive(Operation op, JsonNode document, Map<String, String> known, String key) {
        String mediaType = mediaType(op.spec());
        JsonNode schema = mediaType == null
                ? null
                : resolve(
                        document,
                        op.spec()
                                .path("requestBody")
                                .path("content")
                                .path(mediaType)
                                .path("schema"));
        String baseline = baseline(document, schema, mediaType);
        Map<String, String> auth = Map.of("X-Api-Key", key);

        // Path parameters, one at a time.
        for (String name : pathParameters(op.path())) {
            for (String value : STRINGS) {
                Map<String, String> path = new LinkedHashMap<>(known);
                path.put(name, value);
                send(op, path, "", auth, mediaType, baseline, "path " + name);
            }
        }
        // Query parameters, one at a time.
        for (JsonNode p : op.spec().path("parameters")) {
            if (!p.path("in").asText().equals("query")) {
                continue;
            }
            String name = p.path("name").asText();
            for (String value : concat(STRINGS, QUERY)) {
                String query = "?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
                send(op, known, query, auth, mediaType, baseline, "query " + name);
            }
            send(op, known, "?" + name + "=", auth, mediaType, baseline, "empty " + name);
        }
        // Odd retry keys.
        if (op.spec().toString().contains("\"Idempotency-Key\"")) {
            for (String value : List.of("", " ", "k".repeat(300), "%00")) {
                Map<String, String> headers = new LinkedHashMap<>(auth);
                headers.put("Idempotency-Key", value);
                send(op, known, "", headers, mediaType, baseline, "idempotency key");
            }
        }
        if (mediaType == null) {
            send(op, known, "", auth, null, null, "plain");
            return;
        }
        // Body fields, one at a time, over a body built from the schema.
        if (schema != null && schema.has("properties") && mediaType.contains("json")) {
            for (Iterator<String> fields = schema.path("properties").fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                for (JsonNode value : concat(
                        STRINGS.stream().map(s -> (JsonNode) JSON.textNode(s)).toList(), VALUES)) {
                    ObjectNode body = (ObjectNode) read(baseline);
                    body.set(field, value);
                    send(op, known, "", auth, mediaType, body.toString(), "field " + field);
                }
            }
            ObjectNode long64k = (ObjectNode) read(baseline);
            long64k.put(schema.path("properties").fieldNames().next(), "z".repeat(65_536));
            send(op, known, "", auth, mediaType, long64k.toString(), "64 KiB string");
            ObjectNode huge = (ObjectNode) read(baseline);
            huge.put("unknownField", "y".repeat(1_000_000));
            send(op, known, "", auth, mediaType, huge.toString(), "1 MB unknown field");
        }
        // Whole bodies: malformed, nested, text; and the right body under the wrong content type.
        for (String raw : RAW) {
            send(op, known, "", auth, mediaType, raw, "raw body");
        }
        send(op, known, "", auth, "text/plain", baseline, "wrong content type");
        send(op, known, "", auth, mediaType, null, "no body");
    }

    private void send(
            Operation op,
            Map<String, String> pathValues,
            String query,
            Map<String, String> headers,
            String mediaType,
            String body,
            String variant) {
        StringBuilder uri = new StringBuilder();
        Matcher m = PATH_PARAM.matcher(op.path());
        while (m.find()) {
            String value = pathValues.getOrDefault(m.group(1), UUID.randomUUID().toString());
            m.appendReplacement(
                    uri,
                    Matcher.quoteReplacement(
                            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(uri);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(uri.substring(1) + query))
                .timeout(Duration.ofSeconds(60))
                .method(
                        op.method(),
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (mediaType != null && body != null) {
            request.header("Content-Type", mediaType);
        }
        headers.forEach(request::header);
        requests++;
        String what = op.method() + " " + op.path() + " [" + variant + "]";
        try {
            HttpResponse<String> response = exchange(request.build());
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status >= 500) {
                failures.add(what + " -> " + status + " " + abbreviate(response.body()));
            } else if (status >= 400 && !type.startsWith("application/problem+json")) {
                failures.add(what + " -> " + status + " as '" + type + "' " + abbreviate(response.body()));
            }
        } catch (java.io.IOException e) {
            failures.add(what + " -> no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * One exchange. A kept-alive connection the server closed after its previous answer fails at once with no bytes
     * read; that request is sent again, once, on a new connection. A request the server drops fails both times.
     */
    private HttpResponse<String> exchange(HttpRequest request) throws java.io.IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Real values for the path parameters the fixtures can fill, so that requests get past the lookup. */
    private static Map<String, String> fixtures() {
        String book = CatalogueFixtures.newBook(true);
        String chapterId = CatalogueFixtures.putChapter(book, "intro", "# Intro\n\nSome text to search.\n")
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, String> known = new LinkedHashMap<>();
        known.put("book", book);
        known.put("chapter", "intro");
        known.put("chapterId", chapterId);
        known.put("lang", "fr");
        return known;
    }

    private static String mediaType(JsonNode spec) {
        Iterator<String> types = spec.path("requestBody").path("content").fieldNames();
        return types.hasNext() ? types.next() : null;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.path("$ref").asText().replace("#/components/schemas/", "");
            current = document.path("components").path("schemas").path(ref);
        }
        if (current.has("allOf") && current.path("allOf").size() > 0) {
            return resolve(document, current.path("allOf").get(0));
        }
        return current;
    }

    /** A plausible body for the schema: each property given a value of its declared type. */
    private static String baseline(JsonNode document, JsonNode schema, String mediaType) {
        if (mediaType == null) {
            return null;
        }
        if (!mediaType.contains("json")) {
            return "# Fuzz\n\nA chapter.\n";
        }
        JsonNode value = example(document, schema, 0);
        return (value.isObject() ? value : JSON.objectNode()).toString();
    }

    private static JsonNode example(JsonNode document, JsonNode raw, int depth) {
        JsonNode schema = resolve(document, raw);
        if (schema.has("example")) {
            return schema.path("example");
        }
        if (schema.has("enum") && schema.path("enum").size() > 0) {
            return schema.path("enum").get(0);
        }
        String format = schema.path("format").asText();
        switch (schema.path("type").asText()) {
            case "object" -> {
                ObjectNode node = JSON.objectNode();
                if (depth < 3) {
                    schema.path("properties")
                            .fields()
                            .forEachRemaining(e -> node.set(e.getKey(), example(document, e.getValue(), depth + 1)));
                }
                return node;
            }
            case "array" -> {
                ArrayNode node = JSON.arrayNode();
                if (schema.path("minItems").asInt(0) > 0 && depth < 3) {
                    node.add(example(document, schema.path("items"), depth + 1));
                }
                return node;
            }
            case "integer" -> {
                return JSON.numberNode(schema.path("minimum").asLong(1));
            }
            case "number" -> {
                return JSON.numberNode(schema.path("minimum").asDouble(0.5));
            }
            case "boolean" -> {
                return JSON.booleanNode(false);
            }
            default -> {
                return JSON.textNode(
                        switch (format) {
                            case "date-time" ->
                                OffsetDateTime.now(ZoneOffset.UTC)
                                        .minusMinutes(1)
                                        .toString();
                            case "date" -> LocalDate.now().plusDays(1).toString();
                            case "uuid" -> UUID.randomUUID().toString();
                            default -> "fuzz";
                        });
            }
        }
    }

    private static List<String> pathParameters(String path) {
        List<String> names = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
