package dev.lectern.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** MCP clients of the official SDK connected to the running service, and what tests read from their results. */
final class McpClients implements AutoCloseable {

    private final List<McpSyncClient> open = new ArrayList<>();

    /** An initialised client sending these headers with every request. */
    McpSyncClient connect(Map<String, String> headers) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        RestAssured.baseURI + ":" + RestAssured.port)
                .endpoint("/mcp")
                .jsonMapper(McpEndpoint.mapper())
                .httpRequestCustomizer((request, method, uri, body, context) -> headers.forEach(request::header))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(90))
                .clientInfo(new McpSchema.Implementation("lectern-test", "1"))
                .build();
        open.add(client);
        client.initialize();
        return client;
    }

    McpSyncClient as(Callers.Caller caller) {
        return connect(Map.of("X-Api-Key", caller.apiKey()));
    }

    @Override
    public void close() {
        open.forEach(McpSyncClient::closeGracefully);
        open.clear();
    }

    /** Runs a fixture that needs the admin key (catalogue writes, new users). */
    static <T> T asAdmin(Supplier<T> fixture) {
        return AsAdmin.run(fixture);
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return (Map<String, Object>) result.structuredContent();
    }

    static void assertToolError(McpSchema.CallToolResult result, String... fragments) {
        assertThat(result.isError()).as("a tool error").isTrue();
        assertThat(text(result)).contains(fragments).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
