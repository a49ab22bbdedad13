package dev.lectern.mcp;

import dev.lectern.identity.Caller;
import dev.lectern.platform.HttpLayerProblems;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Streamable HTTP transport of MCP on a Vert.x route: the glue between HTTP and the SDK's sessions, non-blocking.
 *
 * <ul>
 *   <li>{@code POST} carries one JSON-RPC message. An {@code initialize} starts a session and answers JSON with its
 *       {@code Mcp-Session-Id}; any other request is answered as a server-sent event stream that ends with its
 *       response; notifications and responses get 202.
 *   <li>{@code DELETE} ends a session. {@code GET} (a stream for messages the server starts) answers 405: Lectern
 *       sends none.
 * </ul>
 *
 * Every request authenticates as a REST request does (API key, bearer token, {@code X-On-Behalf-Of}); tools act as
 * the caller of the request that carries them. A session belongs to the caller that opened it: another caller naming
 * its id gets the 404 of an unknown session. Sessions are bounded in number (over all callers, and per caller, where
 * the least recently used makes way) and end after an idle time.
 */
final class McpHttpTransport implements McpStreamableServerTransportProvider {

    static final String PATH = "/mcp";
    /** Transport-context keys the tools read. */
    static final String CALLER = "lectern.caller";

    static final String VERTX_CONTEXT = "lectern.vertx-context";

    private static final Logger LOG = Logger.getLogger(McpHttpTransport.class);
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final List<String> VERSIONS =
            List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    private final McpJsonMapper json;
    private final McpConfig config;
    private final Vertx vertx;
    private final Map<String, Held> sessions = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory factory;
    private volatile boolean closing;
    private long sweeper = -1;

    /** A live session, whose it is and when it was last used. */
    private record Held(McpStreamableServerSession session, String owner, AtomicLong lastUsed) {
        void touch() {
            lastUsed.set(System.nanoTime());
        }
    }

    McpHttpTransport(McpJsonMapper json, McpConfig config, Vertx vertx) {
        this.json = json;
        this.config = config;
        this.vertx = vertx;
    }

    /** Starts ending idle sessions; call once, after the server is built. */
    void startSweeping() {
        long period = Math.clamp(config.idleTimeout().toMillis() / 4, 100, 60_000);
        sweeper = vertx.setPeriodic(period, id -> sweep());
    }

    int sessionCount() {
        return sessions.size();
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.factory = sessionFactory;
    }

    @Override
    public List<String> protocolVersions() {
        return VERSIONS;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(held -> held.session().sendNotification(method, params).onErrorResume(e -> {
                    LOG.debugf(
                            "notification to session %s failed: %s",
                            held.session().getId(), e);
                    return Mono.empty();
                }))
                .then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.defer(() -> {
            closing = true;
            if (sweeper >= 0) {
                vertx.cancelTimer(sweeper);
            }
            List<Held> all = List.copyOf(sessions.values());
            sessions.clear();
            return Flux.fromIterable(all)
                    .flatMap(held -> held.session().closeGracefully().onErrorResume(e -> Mono.empty()))
                    .then();
        });
    }

    /** The route's handler: every method on {@link #PATH}. */
    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (closing) {
            problem(rc, 503, "Service unavailable", "the server is shutting down");
            return;
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.POST) && !method.equals(HttpMethod.DELETE)) {
            // No stream for server-initiated messages: Lectern sends none (the transport allows a 405 here).
            rc.response().putHeader("Allow", "POST, DELETE");
            problem(rc, 405, "Method not allowed", "MCP over Streamable HTTP: POST messages, DELETE to end a session");
            return;
        }
        String version = request.getHeader(HttpHeaders.PROTOCOL_VERSION);
        if (version != null && !VERSIONS.contains(version)) {
            problem(rc, 400, "Bad request", "unsupported " + HttpHeaders.PROTOCOL_VERSION + ": " + version);
            return;
        }
        Context context = Vertx.currentContext();
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(rc, null);
        identity.subscribe()
                .with(
                        found -> {
                            Caller caller = Caller.of(found);
                            String owner = owner(rc, found, caller);
                            McpTransportContext transportContext =
                                    McpTransportContext.create(Map.of(CALLER, caller, VERTX_CONTEXT, context));
                            if (method.equals(HttpMethod.DELETE)) {
                                delete(rc, owner, transportContext);
                            } else {
                                post(rc, owner, transportContext);
                            }
                        },
                        failure -> authenticationFailed(rc, failure));
    }

    private void post(RoutingContext rc, String owner, McpTransportContext transportContext) {
        HttpServerRequest request = rc.request();
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith(JSON)) {
            problem(rc, 415, "Unsupported media type", "an MCP message is sent as " + JSON);
            return;
        }
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains(JSON) || !accept.contains(EVENT_STREAM)) {
            problem(rc, 406, "Not acceptable", "the Accept header must list both " + JSON + " and " + EVENT_STREAM);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parseLength(length) > config.maxMessageBytes()) {
            problem(rc, 413, "Payload too large", "an MCP message may take " + config.maxMessageBytes() + " bytes");
            return;
        }
        readBody(rc, body -> {
            McpSchema.JSONRPCMessage message;
            try {
                message = McpSchema.deserializeJsonRpcMessage(json, body);
            } catch (Exception e) {
                jsonRpcError(rc, McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC 2.0 message: " + brief(e));
                return;
            }
            if (message instanceof McpSchema.JSONRPCRequest call && McpSchema.METHOD_INITIALIZE.equals(call.method())) {
                initialize(rc, call, owner);
                return;
            }
            Held held = session(rc, owner);
            if (held == null) {
                return;
            }
            McpStreamableServerSession session = held.session();
            switch (message) {
                case McpSchema.JSONRPCRequest call -> stream(rc, session, call, transportContext);
                case McpSchema.JSONRPCNotification notification ->
                    accepted(rc, session.accept(notification), transportContext);
                case McpSchema.JSONRPCResponse response -> accepted(rc, session.accept(response), transportContext);
                default -> jsonRpcError(rc, McpSchema.ErrorCodes.INVALID_REQUEST, "unknown message type");
            }
        });
    }

    private void initialize(RoutingContext rc, McpSchema.JSONRPCRequest call, String owner) {
        McpSchema.InitializeRequest init;
        try {
            init = json.convertValue(call.params(), new TypeRef<McpSchema.InitializeRequest>() {});
        } catch (IllegalArgumentException e) {
            jsonRpcError(rc, McpSchema.ErrorCodes.INVALID_PARAMS, "invalid initialize parameters: " + brief(e));
            return;
        }
        if (init == null) {
            jsonRpcError(rc, McpSchema.ErrorCodes.INVALID_PARAMS, "initialize needs its parameters");
            return;
        }
        makeRoomFor(owner);
        if (sessions.size() >= config.maxSessions()) {
            rc.response().putHeader("Retry-After", "60");
            problem(rc, 503, "Service unavailable", "too many MCP sessions are open; try again later");
            return;
        }
        McpStreamableServerSession.McpStreamableServerSessionInit started = factory.startSession(init);
        McpStreamableServerSession session = started.session();
        sessions.put(session.getId(), new Held(session, owner, new AtomicLong(System.nanoTime())));
        started.initResult()
                .subscribe(
                        result -> {
                            String body;
                            try {
                                body = json.writeValueAsString(McpSchema.JSONRPCResponse.result(call.id(), result));
                            } catch (Exception e) {
                                end(session.getId());
                                jsonRpcError(rc, McpSchema.ErrorCodes.INTERNAL_ERROR, "initialize failed");
                                return;
                            }
                            rc.response()
                                    .putHeader("Content-Type", JSON)
                                    .putHeader(HttpHeaders.MCP_SESSION_ID, session.getId())
                                    .end(body);
                        },
                        failure -> {
                            end(session.getId());
                            LOG.warnf("MCP initialize failed: %s", failure.toString());
                            jsonRpcError(rc, McpSchema.ErrorCodes.INTERNAL_ERROR, "initialize failed");
                        });
    }

    /** One caller may hold {@code maxSessionsPerCaller}: a new one ends that caller's least recently used. */
    private void makeRoomFor(String owner) {
        List<Held> mine = sessions.values().stream()
                .filter(held -> held.owner().equals(owner))
                .sorted(Comparator.comparingLong(held -> held.lastUsed().get()))
                .toList();
        for (int i = 0; i <= mine.size() - config.maxSessionsPerCaller(); i++) {
            end(mine.get(i).session().getId());
        }
    }

    /** Answers the request with a stream of server-sent events ending with its response. */
    private void stream(
            RoutingContext rc,
            McpStreamableServerSession session,
            McpSchema.JSONRPCRequest call,
            McpTransportContext transportContext) {
        HttpServerResponse response = rc.response()
                .setChunked(true)
                .putHeader("Content-Type", EVENT_STREAM)
                .putHeader("Cache-Control", "no-cache");
        EventStream events = new EventStream(session.getId(), response);
        McpStreamableServerSession.McpStreamableServerSessionStream stream = session.responseStream(events);
        response.closeHandler(closed -> stream.releaseTransport());
        stream.handle(call)
                .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, transportContext))
                .subscribe(null, failure -> {
                    LOG.debugf("MCP request %s on session %s failed: %s", call.id(), session.getId(), failure);
                    events.close();
                });
    }

    private void accepted(RoutingContext rc, Mono<Void> handled, McpTransportContext transportContext) {
        handled.contextWrite(reactor -> reactor.put(McpTransportContext.KEY, transportContext))
                .subscribe(
                        null,
                        failure -> jsonRpcError(rc, McpSchema.ErrorCodes.INTERNAL_ERROR, "message not handled"),
                        () -> rc.response().setStatusCode(202).end());
    }

    private void delete(RoutingContext rc, String owner, McpTransportContext transportContext) {
        Held held = session(rc, owner);
        if (held == null) {
            return;
        }
        sessions.remove(held.session().getId());
        held.session()
                .delete()
                .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, transportContext))
                .subscribe(
                        null,
                        failure -> rc.response().setStatusCode(204).end(),
                        () -> rc.response().setStatusCode(204).end());
    }

    /** The request's session, if it names one its caller holds; otherwise answers the request and gives null. */
    private Held session(RoutingContext rc, String owner) {
        String id = rc.request().getHeader(HttpHeaders.MCP_SESSION_ID);
        if (id == null || id.isBlank()) {
            problem(
                    rc,
                    400,
                    "Bad request",
                    "an " + HttpHeaders.MCP_SESSION_ID + " header is required; initialize first");
            return null;
        }
        Held held = sessions.get(id);
        if (held == null || !held.owner().equals(owner)) {
            // Another caller's session answers as an unknown one: its existence is not theirs to learn.
            problem(rc, 404, "Not found", "no such MCP session (it ended or expired): initialize a new one");
            return null;
        }
        held.touch();
        return held;
    }

    private void sweep() {
        long idleSince = System.nanoTime() - config.idleTimeout().toNanos();
        sessions.values().stream()
                .filter(held -> held.lastUsed().get() < idleSince)
                .map(held -> held.session().getId())
                .toList()
                .forEach(this::end);
    }

    private void end(String id) {
        Held held = sessions.remove(id);
        if (held != null) {
            held.session().closeGracefully().onErrorResume(e -> Mono.empty()).subscribe();
        }
    }

    /**
     * Who a session belongs to: the acting user and the service acting for them, or for a caller that is no user
     * (the bootstrap admin key) its principal. Anonymous callers are told apart by address only, so that one cannot
     * end another's sessions by opening more (all of them may read the same, so nothing more is at stake).
     */
    private static String owner(RoutingContext rc, SecurityIdentity identity, Caller caller) {
        if (identity.isAnonymous()) {
            return "anonymous@"
                    + (rc.request().remoteAddress() == null
                            ? ""
                            : rc.request().remoteAddress().hostAddress());
        }
        if (caller.userId() == null) {
            return "principal:" + identity.getPrincipal().getName();
        }
        return "user:" + caller.userId() + "/" + caller.actorId();
    }

    private void readBody(RoutingContext rc, java.util.function.Consumer<String> then) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer();
        AtomicBoolean refused = new AtomicBoolean();
        request.handler(chunk -> {
            if (refused.get()) {
                return;
            }
            if (body.length() + chunk.length() > config.maxMessageBytes()) {
                refused.set(true);
                rc.response().putHeader("Connection", "close"); // the rest of the body is not read
                problem(rc, 413, "Payload too large", "an MCP message may take " + config.maxMessageBytes() + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(done -> {
            if (!refused.get()) {
                then.accept(body.toString(StandardCharsets.UTF_8));
            }
        });
        request.exceptionHandler(failure -> LOG.debugf("MCP request body not read: %s", failure));
        request.resume();
    }

    private void authenticationFailed(RoutingContext rc, Throwable failure) {
        if (rc.response().headWritten()) {
            return; // Quarkus' authentication failure handler has answered (401 with its challenge)
        }
        if (failure instanceof ProblemException problem) {
            problem(rc, problem.status(), problem.title(), problem.getMessage());
        } else if (failure instanceof ForbiddenException) {
            problem(rc, 403, "Forbidden", failure.getMessage() == null ? "not allowed" : failure.getMessage());
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            rc.response().putHeader("WWW-Authenticate", "Bearer, ApiKey header=\"X-Api-Key\"");
            problem(rc, 401, "Unauthorized", "invalid credentials");
        } else {
            LOG.error("MCP authentication failed unexpectedly", failure);
            problem(rc, 500, "Internal server error", "authentication could not be completed");
        }
    }

    private static void problem(RoutingContext rc, int status, String title, String detail) {
        if (!rc.response().ended()) {
            HttpLayerProblems.answer(rc, status, Problem.typeOf(title), title, detail);
        }
    }

    private static void jsonRpcError(RoutingContext rc, int code, String message) {
        if (rc.response().ended()) {
            return;
        }
        JsonObject error = new JsonObject()
                .put("jsonrpc", McpSchema.JSONRPC_VERSION)
                .putNull("id")
                .put("error", new JsonObject().put("code", code).put("message", message));
        rc.response().setStatusCode(400).putHeader("Content-Type", JSON).end(error.encode());
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The first line of an exception's message, capped: enough to fix the request, nothing of the server. */
    private static String brief(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.lines().findFirst().orElse("");
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    /** The server-sent event stream answering one request: its notifications, then its response. */
    private final class EventStream implements McpStreamableServerTransport {

        private final String sessionId;
        private final HttpServerResponse response;
        private final AtomicBoolean closed = new AtomicBoolean();

        EventStream(String sessionId, HttpServerResponse response) {
            this.sessionId = sessionId;
            this.response = response;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return Mono.fromRunnable(() -> {
                if (closed.get()) {
                    return;
                }
                String data;
                try {
                    data = json.writeValueAsString(message);
                } catch (Exception e) {
                    throw new IllegalStateException("MCP message not serialisable", e);
                }
                StringBuilder event = new StringBuilder();
                if (messageId != null) {
                    event.append("id: ").append(messageId).append('\n');
                }
                event.append("event: message\ndata: ").append(data).append("\n\n");
                response.write(event.toString());
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::close);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true) && !response.ended()) {
                LOG.tracef("MCP response stream of session %s ends", sessionId);
                response.end();
            }
        }
    }
}
