package dev.lectern.mcp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Streamable HTTP transport at the HTTP level: sessions, their owners and bounds, and bad requests. */
@QuarkusTest
class McpTransportTest {

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
    private static final String LIST_TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    static RequestSpecification mcp(RequestSpecification request) {
        return request.contentType("application/json").accept("application/json, text/event-stream");
    }

    static String initialize(Callers.Caller caller) {
        return mcp(caller.request())
                .body(INITIALIZE)
                .when()
                .post("/mcp")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("result.serverInfo.name", equalTo("lectern"))
                .body("result.protocolVersion", equalTo("2025-06-18"))
                .extract()
                .header("Mcp-Session-Id");
    }

    static Response listTools(Callers.Caller caller, String session) {
        return mcp(caller.request())
                .header("Mcp-Session-Id", session)
                .body(LIST_TOOLS)
                .when()
                .post("/mcp");
    }

    @Test
    void aRequestIsAnsweredAsAnEventStreamEndingWithItsResponse() {
        Callers.Caller learner = Callers.newUser();
        String session = initialize(learner);
        Response tools = listTools(learner, session);
        assertThat(tools.statusCode()).isEqualTo(200);
        assertThat(tools.contentType()).startsWith("text/event-stream");
        assertThat(tools.asString()).startsWith("event: message\ndata: {").contains("\"search_passages\"");

        mcp(learner.request())
                .header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .when()
                .post("/mcp")
                .then()
                .statusCode(202);
    }

    @Test
    void aSessionBelongsToTheCallerThatOpenedIt() {
        Callers.Caller owner = Callers.newUser();
        Callers.Caller other = Callers.newUser();
        String session = initialize(owner);

        listTools(other, session).then().statusCode(404).contentType("application/problem+json");
        mcp(given())
                .header("Mcp-Session-Id", session)
                .body(LIST_TOOLS)
                .when()
                .post("/mcp")
                .then()
                .statusCode(404);
        listTools(owner, session).then().statusCode(200);

        // Ending it is the owner's too, and then it is gone.
        other.request()
                .header("Mcp-Session-Id", session)
                .when()
                .delete("/mcp")
                .then()
                .statusCode(404);
        owner.request()
                .header("Mcp-Session-Id", session)
                .when()
                .delete("/mcp")
                .then()
                .statusCode(204);
        listTools(owner, session).then().statusCode(404).body("detail", containsString("initialize"));
    }

    @Test
    void oneCallerHoldsABoundedNumberOfSessionsTheOldestMakingWay() {
        Callers.Caller caller = Callers.newUser();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 17; i++) { // lectern.mcp.max-sessions-per-caller: 16
            sessions.add(initialize(caller));
        }
        listTools(caller, sessions.get(0)).then().statusCode(404);
        for (String live : sessions.subList(1, 17)) {
            listTools(caller, live).then().statusCode(200);
        }
    }

    @Test
    void badRequestsGetProblemsOrJsonRpcErrorsNeverA500() {
        Callers.Caller caller = Callers.newUser();
        String session = initialize(caller);

        caller.request()
                .contentType("text/plain")
                .accept("application/json, text/event-stream")
                .body(INITIALIZE)
                .when()
                .post("/mcp")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        caller.request()
                .contentType("application/json")
                .accept("application/json")
                .body(INITIALIZE)
                .when()
                .post("/mcp")
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
        mcp(caller.request())
                .body("{\"jsonrpc\":")
                .when()
                .post("/mcp")
                .then()
                .statusCode(400)
                .body("error.code", equalTo(-32700));
        mcp(caller.request())
                .body(LIST_TOOLS)
                .when()
                .post("/mcp")
                .then()
                .statusCode(400)
                .body("detail", containsString("Mcp-Session-Id"));
        mcp(caller.request())
                .header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "1999-01-01")
                .body(LIST_TOOLS)
                .when()
                .post("/mcp")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        mcp(caller.request())
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":[1,2]}")
                .when()
                .post("/mcp")
                .then()
                .statusCode(400)
                .body("error.code", equalTo(-32602));
        mcp(caller.request())
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"pad\":\"" + "x".repeat(1_100_000)
                        + "\"}")
                .when()
                .post("/mcp")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        caller.request()
                .header("Mcp-Session-Id", session)
                .when()
                .get("/mcp")
                .then()
                .statusCode(405)
                .header("Allow", "POST, DELETE");
    }

    @Test
    void invalidCredentialsGet401AndAForbiddenDelegationGet403() {
        mcp(given().header("X-Api-Key", "lk_not_a_key"))
                .body(INITIALIZE)
                .when()
                .post("/mcp")
                .then()
                .statusCode(401);
        Callers.Caller learner = Callers.newUser();
        mcp(learner.request().header("X-On-Behalf-Of", Callers.newUser().id().toString()))
                .body(INITIALIZE)
                .when()
                .post("/mcp")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
