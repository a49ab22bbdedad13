package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What a client generator and a developer reading Swagger UI need from the OpenAPI document, beyond what
 * {@link OpenApiContractTest} pins: a stable, readable name for every operation, a problem schema on every error,
 * examples that fit their schemas, the info block, and a checked-in copy ({@code docs/openapi.json}) that is exactly the
 * served document, because the build generates the Java client of {@code GeneratedClientTest} from it. After an intended
 * change of the API, {@code -Dlectern.openapi.record=true} rewrites the copy; review its diff.
 */
@QuarkusTest
class OpenApiForClientsTest {

    static final Path SNAPSHOT = Path.of("docs", "openapi.json");

    /**
     * Every operationId, sorted. Generated clients name their methods after these, so a rename breaks every client:
     * change this list only on purpose.
     */
    private static final List<String> OPERATION_IDS = List.of(
            "appendMessage",
            "createBook",
            "createConversation",
            "createFramework",
            "createGenerated",
            "createMyApiKey",
            "createOutcome",
            "createReviewItem",
            "createReviewItemsFromFlashcards",
            "createSubject",
            "createTask",
            "createUser",
            "createUserApiKey",
            "deleteBook",
            "deleteChapter",
            "deleteConversation",
            "deleteGenerated",
            "deleteTask",
            "endSession",
            "enrolInBook",
            "enrolInSubject",
            "eraseMe",
            "eraseUser",
            "eraseUserByExternalSubject",
            "exportMe",
            "exportReviewLog",
            "fitReviewWeights",
            "getAdminStats",
            "getBook",
            "getBookProgress",
            "getChapter",
            "getChapterTranslation",
            "getContextPack",
            "getConversation",
            "getFramework",
            "getGenerated",
            "getIndexJob",
            "getMastery",
            "getMe",
            "getMyApiKey",
            "getPersonalizedChapter",
            "getReviewDefaults",
            "getReviewItem",
            "getReviewSettings",
            "getReviewWeightsFit",
            "getStudyStats",
            "getTask",
            "importBook",
            "leaveBook",
            "leaveSubject",
            "listBooks",
            "listChapters",
            "listConversations",
            "listDueReviews",
            "listEnrolments",
            "listFrameworks",
            "listGenerated",
            "listMessages",
            "listMyApiKeys",
            "listOutcomes",
            "listRecentProgress",
            "listSubjects",
            "listTasks",
            "listUsers",
            "listXapiStatements",
            "putChapter",
            "putChapterTranslation",
            "putPersonalizedChapter",
            "putReadingProgress",
            "putReviewDefaults",
            "putReviewSettings",
            "rebuildIndex",
            "recordReview",
            "restoreChapter",
            "revokeMyApiKey",
            "searchPassages",
            "sendSessionHeartbeat",
            "startSession",
            "streamIndexJobEvents",
            "updateBook",
            "updateConversation",
            "updateMe",
            "updateTask");

    /** The answers clients read most: their success responses show an example. */
    private static final List<String> EXAMPLED_RESPONSES = List.of(
            "getBook",
            "getChapter",
            "putChapter",
            "searchPassages",
            "getContextPack",
            "putReadingProgress",
            "recordReview",
            "appendMessage",
            "getMe",
            "createMyApiKey");

    @Test
    void everyOperationHasAUniqueReadableOperationIdFromThePinnedList() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        forEachOperation(OpenApiContractTest.document(), (name, operation) -> {
            String id = operation.path("operationId").asText("");
            if (id.isEmpty()) {
                missing.add(name);
            } else {
                ids.add(id);
            }
        });
        assertThat(missing).as("operations without an operationId").isEmpty();
        assertThat(ids).as("operationIds").doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z][a-zA-Z]+"));
        assertThat(ids.stream().sorted().toList())
                .as("operationIds (renaming one breaks generated clients)")
                .containsExactlyElementsOf(OPERATION_IDS);
    }

    @Test
    void everyErrorResponseIsAProblem() throws IOException {
        List<String> bare = new ArrayList<>();
        int[] errors = {0};
        forEachOperation(
                OpenApiContractTest.document(),
                (name, operation) -> operation.path("responses").fields().forEachRemaining(response -> {
                    if (!response.getKey().matches("[45]..")) {
                        return;
                    }
                    errors[0]++;
                    JsonNode content = response.getValue().path("content");
                    boolean problem = content.size() == 1
                            && content.path(Problem.MEDIA_TYPE)
                                    .path("schema")
                                    .path("$ref")
                                    .asText()
                                    .equals("#/components/schemas/Problem");
                    if (!problem) {
                        bare.add(name + " " + response.getKey() + " " + content);
                    }
                }));
        assertThat(errors[0]).as("error responses").isGreaterThan(200);
        assertThat(bare).as("error responses without the problem+json schema").isEmpty();
    }

    @Test
    void everyRequestBodyHasAnExampleThatFitsItsSchema() throws IOException {
        JsonNode document = OpenApiContractTest.document();
        List<String> problems = new ArrayList<>();
        int[] bodies = {0};
        forEachOperation(document, (name, operation) -> {
            JsonNode body = operation.path("requestBody");
            if (body.isMissingNode()) {
                return;
            }
            bodies[0]++;
            body.path("content").fields().forEachRemaining(media -> {
                List<JsonNode> examples = examples(media.getValue());
                if (examples.isEmpty()) {
                    problems.add(name + " " + media.getKey() + ": no example");
                }
                for (JsonNode example : examples) {
                    check(document, name + " " + media.getKey(), media.getValue(), example, problems);
                }
            });
        });
        assertThat(bodies[0]).as("request bodies").isGreaterThanOrEqualTo(28);
        assertThat(problems).isEmpty();
    }

    @Test
    void responseExamplesFitTheirSchemasAndTheMainAnswersHaveOne() throws IOException {
        JsonNode document = OpenApiContractTest.document();
        List<String> problems = new ArrayList<>();
        List<String> exampled = new ArrayList<>();
        forEachOperation(
                document,
                (name, operation) -> operation
                        .path("responses")
                        .fields()
                        .forEachRemaining(response -> response.getValue()
                                .path("content")
                                .fields()
                                .forEachRemaining(media -> {
                                    List<JsonNode> examples = examples(media.getValue());
                                    if (!examples.isEmpty() && response.getKey().startsWith("2")) {
                                        exampled.add(
                                                operation.path("operationId").asText());
                                    }
                                    for (JsonNode example : examples) {
                                        check(
                                                document,
                                                name + " " + response.getKey() + " " + media.getKey(),
                                                media.getValue(),
                                                example,
                                                problems);
                                    }
                                })));
        assertThat(problems).isEmpty();
        assertThat(exampled).containsAll(EXAMPLED_RESPONSES);
    }

    /**
     * A generated client authenticates with either scheme wherever one is needed, and learns the roles an operation
     * needs; no scheme is declared that nothing uses.
     */
    @Test
    void everySecuredOperationTakesEitherSchemeWithTheSameRoles() throws IOException {
        JsonNode document = OpenApiContractTest.document();
        List<String> problems = new ArrayList<>();
        assertThat(document.path("components").path("securitySchemes").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("apiKey", "bearer");
        forEachOperation(document, (name, operation) -> {
            JsonNode security = operation.path("security");
            if (security.isMissingNode()) {
                return;
            }
            java.util.Map<String, String> roles = new java.util.TreeMap<>();
            security.forEach(requirement -> requirement
                    .fields()
                    .forEachRemaining(scheme ->
                            roles.put(scheme.getKey(), scheme.getValue().toString())));
            if (!roles.keySet().equals(java.util.Set.of("apiKey", "bearer"))
                    || !roles.get("apiKey").equals(roles.get("bearer"))) {
                problems.add(name + " " + security);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theInfoBlockNamesContactLicenceAndServers() throws IOException {
        JsonNode document = OpenApiContractTest.document();
        JsonNode info = document.path("info");
        assertThat(info.path("title").asText()).isEqualTo("Lectern API");
        assertThat(info.path("contact").path("name").asText()).isNotBlank();
        assertThat(info.path("contact").path("url").asText()).startsWith("https://");
        assertThat(info.path("license").path("name").asText()).isEqualTo("MIT");
        assertThat(info.path("license").path("identifier").asText()).isEqualTo("MIT");
        assertThat(StreamSupport.stream(document.path("servers").spliterator(), false)
                        .map(server -> server.path("url").asText())
                        .toList())
                .containsExactly("/", "http://localhost:8080");
    }

    @Test
    void theCheckedInDocumentIsTheServedOne() throws IOException {
        JsonNode served = OpenApiContractTest.document();
        ObjectMapper mapper = new ObjectMapper();
        if (Boolean.getBoolean("lectern.openapi.record")) {
            Files.writeString(SNAPSHOT, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
        }
        List<String> differences = new ArrayList<>();
        differences("", mapper.readTree(SNAPSHOT.toFile()), served, differences);
        assertThat(differences)
                .as(SNAPSHOT + " differs from /q/openapi; the build generates the test client from it (record with"
                        + " -Dlectern.openapi.record=true)")
                .isEmpty();
    }

    /** Where two documents differ, as JSON pointers: readable where one document-sized assertion message is not. */
    private static void differences(String pointer, JsonNode saved, JsonNode served, List<String> differences) {
        if (saved.isObject() && served.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            saved.fieldNames().forEachRemaining(names::add);
            served.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                differences(
                        pointer + "/" + name.replace("~", "~0").replace("/", "~1"),
                        saved.path(name),
                        served.path(name),
                        differences);
            }
        } else if (!saved.equals(served)) {
            differences.add(pointer + ": saved " + abbreviate(saved) + ", served " + abbreviate(served));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.isMissingNode() ? "nothing" : node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** Every operation, with its name ("GET /api/v1/books"). */
    private static void forEachOperation(JsonNode document, BiConsumer<String, JsonNode> action) {
        OpenApiContractTest.forEachOperation(
                document, (method, path, operation) -> action.accept(method + " " + path, operation));
    }

    /** The example objects of a media type: its {@code example} as a value, or each of its {@code examples}. */
    private static List<JsonNode> examples(JsonNode media) {
        List<JsonNode> examples = new ArrayList<>();
        if (media.has("example")) {
            examples.add(new ObjectMapper().createObjectNode().set("value", media.path("example")));
        }
        media.path("examples").forEach(examples::add);
        return examples;
    }

    /**
     * An example object has a value that fits the media type's schema; a binary body, which no document can show
     * inline, has a summary or description of what to send instead.
     */
    private static void check(
            JsonNode document, String where, JsonNode media, JsonNode example, List<String> problems) {
        JsonNode schema = resolve(document, media.path("schema"));
        if (schema.path("format").asText().equals("binary")) {
            if (example.path("summary").asText("").isBlank()
                    && example.path("description").asText("").isBlank()) {
                problems.add(where + ": an example of a binary body says what to send");
            }
            return;
        }
        if (!example.has("value")) {
            problems.add(where + ": an example without a value");
            return;
        }
        fit(document, where, example.path("value"), media.path("schema"), problems);
    }

    /**
     * Whether a value fits a schema as far as examples need: types, enums, patterns, lengths, ranges, formats, required
     * and unknown properties (the service refuses unknown JSON fields, so an example naming one would be refused too).
     * Null fits any schema: Lectern's answers write absent values as null.
     */
    private static void fit(JsonNode document, String where, JsonNode value, JsonNode raw, List<String> problems) {
        JsonNode schema = resolve(document, raw);
        if (value.isNull()) {
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            fit(document, where, value, part, problems);
        }
        if (schema.has("enum")
                && StreamSupport.stream(schema.path("enum").spliterator(), false)
                        .noneMatch(value::equals)) {
            problems.add(where + ": " + value + " is none of " + schema.path("enum"));
        }
        List<String> types = new ArrayList<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(t -> types.add(t.asText()));
        } else if (schema.has("type")) {
            types.add(schema.path("type").asText());
        } else if (schema.has("properties")) {
            types.add("object");
        }
        if (types.isEmpty()) {
            return; // any JSON value (FreeFormJson)
        }
        if (value.isObject() && types.contains("object")) {
            fitObject(document, where, value, schema, problems);
        } else if (value.isArray() && types.contains("array")) {
            int size = value.size();
            if (size > schema.path("maxItems").asInt(Integer.MAX_VALUE)
                    || size < schema.path("minItems").asInt(0)) {
                problems.add(where + ": " + size + " items");
            }
            for (int i = 0; i < size; i++) {
                fit(document, where + "[" + i + "]", value.get(i), schema.path("items"), problems);
            }
        } else if (value.isTextual() && types.contains("string")) {
            fitString(where, value.asText(), schema, problems);
        } else if (value.isIntegralNumber() && (types.contains("integer") || types.contains("number"))
                || value.isNumber() && types.contains("number")) {
            double number = value.asDouble();
            if (number < schema.path("minimum").asDouble(-Double.MAX_VALUE)
                    || number > schema.path("maximum").asDouble(Double.MAX_VALUE)) {
                problems.add(where + ": " + number + " out of range");
            }
        } else if (!(value.isBoolean() && types.contains("boolean"))) {
            problems.add(where + ": " + value.getNodeType() + " where " + types + " is declared");
        }
    }

    private static void fitObject(
            JsonNode document, String where, JsonNode value, JsonNode schema, List<String> problems) {
        JsonNode properties = schema.path("properties");
        schema.path("required").forEach(required -> {
            if (!value.has(required.asText())) {
                problems.add(where + ": required " + required.asText() + " missing");
            }
        });
        value.fields().forEachRemaining(field -> {
            if (properties.has(field.getKey())) {
                fit(
                        document,
                        where + "." + field.getKey(),
                        field.getValue(),
                        properties.path(field.getKey()),
                        problems);
            } else if (properties.size() > 0 && !schema.has("additionalProperties")) {
                problems.add(where + ": unknown property " + field.getKey());
            }
        });
    }

    private static void fitString(String where, String value, JsonNode schema, List<String> problems) {
        if (schema.has("pattern")
                && !Pattern.compile(schema.path("pattern").asText())
                        .matcher(value)
                        .find()) {
            problems.add(where + ": '" + value + "' does not match "
                    + schema.path("pattern").asText());
        }
        if (value.length() > schema.path("maxLength").asInt(Integer.MAX_VALUE)
                || value.length() < schema.path("minLength").asInt(0)) {
            problems.add(where + ": '" + value + "' has the wrong length");
        }
        try {
            switch (schema.path("format").asText()) {
                case "uuid" -> UUID.fromString(value);
                case "date-time" -> OffsetDateTime.parse(value);
                case "date" -> LocalDate.parse(value);
                case "local-time" -> LocalTime.parse(value);
                default -> {}
            }
        } catch (RuntimeException e) {
            problems.add(where + ": '" + value + "' is not a "
                    + schema.path("format").asText());
        }
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.path("$ref").asText().replace("#/components/schemas/", "");
            current = document.path("components").path("schemas").path(ref);
        }
        return current;
    }
}
