package dev.lectern.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Pins what the OpenAPI document promises a generated client, operation by operation: every response status with its
 * media types, the security requirements and the parameters. Refactoring resources (annotations declared once, an
 * OpenAPI filter instead of per-method declarations) must not lose any of it, nor say a required body is optional. After an intended change of the API,
 * record the new contract with {@code -Dlectern.openapi.record=true} (running this test and
 * {@link OpenApiForClientsTest}, which records {@code docs/openapi.json}) and review the diff of
 * {@code src/test/resources/openapi-contract.txt}.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final Path CONTRACT = Path.of("src", "test", "resources", "openapi-contract.txt");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void theDocumentKeepsEveryOperationsResponsesSecurityAndParameters() throws IOException {
        JsonNode document = document();
        List<String> actual = contract(document);
        if (Boolean.getBoolean("lectern.openapi.record")) {
            Files.write(CONTRACT, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("OpenAPI contract (record with -Dlectern.openapi.record=true)")
                .containsExactlyElementsOf(Files.readAllLines(CONTRACT, StandardCharsets.UTF_8));
    }

    @Test
    void freeFormJsonIsAnyValueNotJacksonsNodeApi() throws IOException {
        JsonNode schemas = document().path("components").path("schemas");
        assertThat(schemas.has("JsonNode"))
                .as("JsonNode expanded into its getters")
                .isFalse();
        assertThat(schemas.path("FreeFormJson").has("type"))
                .as("any JSON value")
                .isFalse();
        for (String view : List.of("CreateGenerated", "Generated")) {
            assertThat(schemas.path(view)
                            .path("properties")
                            .path("body")
                            .path("type")
                            .asText())
                    .as(view + ".body")
                    .isEqualTo("object");
            assertThat(schemas.path(view)
                            .path("properties")
                            .path("sourcePrompts")
                            .path("$ref")
                            .asText())
                    .isEqualTo("#/components/schemas/FreeFormJson");
        }
    }

    /** The running service's OpenAPI document, as JSON. */
    static JsonNode document() throws IOException {
        return new ObjectMapper()
                .readTree(given().queryParam("format", "json")
                        .when()
                        .get("/q/openapi")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
    }

    /** What {@link #forEachOperation} calls for each operation: method upper-case, the path and the operation. */
    @FunctionalInterface
    interface OperationVisitor {
        void visit(String method, String path, JsonNode operation);
    }

    /** Every operation of the document, in the document's order of paths and a fixed order of methods. */
    static void forEachOperation(JsonNode document, OperationVisitor visitor) {
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().path(method);
                if (!operation.isMissingNode()) {
                    visitor.visit(method.toUpperCase(), path.getKey(), operation);
                }
            }
        }
    }

    static List<String> contract(JsonNode document) {
        List<String> lines = new ArrayList<>();
        forEachOperation(document, (method, path, operation) -> {
            String name = method + " " + path;
            for (Iterator<Map.Entry<String, JsonNode>> responses =
                            operation.path("responses").fields();
                    responses.hasNext(); ) {
                Map.Entry<String, JsonNode> response = responses.next();
                TreeSet<String> media = new TreeSet<>();
                response.getValue().path("content").fieldNames().forEachRemaining(media::add);
                TreeSet<String> headers = new TreeSet<>();
                response.getValue().path("headers").fieldNames().forEachRemaining(headers::add);
                lines.add(name + " response " + response.getKey() + " " + media
                        + (headers.isEmpty() ? "" : " headers " + headers));
            }
            TreeSet<String> security = new TreeSet<>();
            operation
                    .path("security")
                    .forEach(requirement -> requirement.fieldNames().forEachRemaining(security::add));
            lines.add(name + " security " + security);
            TreeSet<String> parameters = new TreeSet<>();
            operation
                    .path("parameters")
                    .forEach(p -> parameters.add(p.path("in").asText() + ":"
                            + p.path("name").asText() + (p.path("required").asBoolean() ? "!" : "")));
            lines.add(name + " parameters " + parameters);
            JsonNode body = operation.path("requestBody");
            lines.add(name + " body "
                    + (body.isMissingNode() ? "no" : body.path("required").asBoolean() ? "required" : "optional"));
        });
        lines.sort(String::compareTo);
        return lines;
    }
}
