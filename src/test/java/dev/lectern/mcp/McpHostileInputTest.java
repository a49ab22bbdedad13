package dev.lectern.mcp;

import static dev.lectern.mcp.McpClients.asAdmin;
import static dev.lectern.mcp.McpClients.call;
import static dev.lectern.mcp.McpClients.structured;
import static dev.lectern.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.Callers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every tool, every argument, hostile values: each call answers a result or a tool error naming what to fix, never
 * an internal error, and the session survives all of it.
 */
@QuarkusTest
class McpHostileInputTest {

    private final McpClients clients = new McpClients();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private static final List<Object> HOSTILE = hostile();

    private static List<Object> hostile() {
        List<Object> values = new ArrayList<>();
        values.add("nul\u0000inside");
        values.add("lone \ud800 surrogate");
        values.add("x".repeat(100_000));
        values.add("../../etc/passwd");
        values.add("%00");
        values.add("مرحبا 🚀");
        values.add("");
        values.add(-1);
        values.add(0);
        values.add(Long.MAX_VALUE);
        values.add(1e308);
        values.add(0.5);
        values.add(true);
        values.add(List.of());
        values.add(List.of("a", 1, List.of()));
        values.add(Map.of("nested", Map.of("deeper", List.of(Map.of()))));
        values.add("00000000-0000-0000-0000-000000000000");
        values.add("9999-12-31T23:59:59Z");
        values.add("-999999999-01-01T00:00:00Z");
        return values;
    }

    @Test
    void noArgumentValueMakesAToolFailInternally() {
        Callers.Caller learner = asAdmin(() -> Callers.newUser());
        McpSyncClient client = clients.as(learner);
        int calls = 0;
        List<String> internal = new ArrayList<>();
        for (McpSchema.Tool tool : client.listTools().tools()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties =
                    (Map<String, Object>) tool.inputSchema().get("properties");
            Map<String, Object> valid = validArguments(tool.name());
            for (String property : properties.keySet()) {
                for (Object value : HOSTILE) {
                    Map<String, Object> arguments = new HashMap<>(valid);
                    arguments.put(property, value);
                    McpSchema.CallToolResult result = call(client, tool.name(), arguments);
                    calls++;
                    String text = text(result);
                    // A success is content (which may well mention exceptions); an error must say what to fix.
                    boolean leaked = Boolean.TRUE.equals(result.isError())
                            && (text.startsWith("Internal error")
                                    || text.contains("Exception")
                                    || text.contains("\tat "));
                    if (leaked) {
                        internal.add(tool.name() + "." + property + "=" + abbreviate(value) + " → " + text);
                    }
                }
            }
        }
        assertThat(internal).as("tool calls answered with an internal error").isEmpty();
        assertThat(calls).isGreaterThan(400);
        assertThat(structured(call(client, "list_books", Map.of()))).containsKey("items");
    }

    private static Map<String, Object> validArguments(String tool) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        switch (tool) {
            case "search_passages", "get_context_pack" -> arguments.put("query", "robots");
            case "list_chapters" -> arguments.put("book", "no-such-book");
            case "read_chapter" -> {
                arguments.put("book", "no-such-book");
                arguments.put("chapter", "intro");
            }
            case "read_section" -> {
                arguments.put("book", "no-such-book");
                arguments.put("chapter", "intro");
                arguments.put("section", 1);
            }
            case "record_review" -> {
                arguments.put("itemId", "00000000-0000-0000-0000-000000000000");
                arguments.put("rating", "good");
            }
            case "get_mastery" -> arguments.put("framework", "no-such-framework");
            default -> {}
        }
        return arguments;
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
