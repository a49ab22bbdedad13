package dev.lectern.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions end when idle, and the server holds a bounded number of them. */
@QuarkusTest
@TestProfile(McpSessionLimitsTest.FewShortSessions.class)
class McpSessionLimitsTest {

    public static class FewShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lectern.mcp.max-sessions", "3", "lectern.mcp.idle-timeout", "3s");
        }
    }

    @Inject
    McpEndpoint endpoint;

    @Test
    void anIdleSessionEndsAndAFullServerTurnsNewSessionsAway() throws InterruptedException {
        Callers.Caller caller = Callers.newUser();
        String idle = McpTransportTest.initialize(caller);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (endpoint.sessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        McpTransportTest.listTools(caller, idle).then().statusCode(404);

        // Callers first: the sessions must all be open at once, well within the idle time.
        List<Callers.Caller> callers = List.of(Callers.newUser(), Callers.newUser(), Callers.newUser());
        Callers.Caller fourth = Callers.newUser();
        List<String> held = new ArrayList<>();
        for (Callers.Caller each : callers) {
            held.add(McpTransportTest.initialize(each));
        }
        McpTransportTest.mcp(fourth.request())
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}")
                .when()
                .post("/mcp")
                .then()
                .statusCode(503)
                .header("Retry-After", "60")
                .contentType("application/problem+json");
        assertThat(held).doesNotHaveDuplicates();
    }
}
