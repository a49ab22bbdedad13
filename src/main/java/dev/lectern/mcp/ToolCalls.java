package dev.lectern.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.lectern.catalogue.content.ContentAccess;
import dev.lectern.identity.Caller;
import dev.lectern.platform.Page;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.StrictJson;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * What every tool and resource does around its own work: reads its arguments strictly and validates them with the
 * same constraints as the REST API, runs the work as the request's caller on a Vert.x context of its own (the
 * services are reactive and Hibernate Reactive keeps its session there), and turns the outcome into a tool result:
 * structured content plus a text rendering, or a tool error whose message says what to fix (never a stack trace).
 */
@ApplicationScoped
class ToolCalls {

    private static final Logger LOG = Logger.getLogger(ToolCalls.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final ObjectMapper strict;
    private final ObjectMapper json;
    private final Validator validator;
    private final ContentAccess access;
    private final Duration timeout;

    ToolCalls(ObjectMapper json, Validator validator, ContentAccess access, McpConfig config) {
        this.json = json;
        this.strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.validator = validator;
        this.access = access;
        this.timeout = config.requestTimeout();
    }

    /** A tool's result: what a program reads and what a model reads. */
    record Result(Object structured, String text) {}

    /**
     * A tool: its name, what a model reads of it, its input schema, and its work, run through {@link #call}. Every
     * tool is idempotent and closed-world; it is read-only unless it {@code writes}.
     */
    <A> AsyncToolSpecification tool(
            McpJsonMapper mapper,
            String name,
            String title,
            String description,
            String schema,
            boolean writes,
            Class<A> type,
            Work<A, Result> work) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(mapper, schema)
                .annotations(new McpSchema.ToolAnnotations(title, !writes, false, true, false, null))
                .build();
        return new AsyncToolSpecification(tool, (exchange, request) -> call(exchange, request, type, work));
    }

    /** Ends a page's text: what an empty page says, and how to ask for the next one. */
    static String paged(StringBuilder text, Page<?> page, String none, String more) {
        if (page.items().isEmpty()) {
            text.append(none).append('\n');
        }
        if (page.next() != null) {
            text.append(more)
                    .append(": call again with cursor ")
                    .append(page.next())
                    .append('\n');
        }
        return text.toString();
    }

    /** Runs a tool: arguments into {@code type}, validated, then {@code work} as the caller. */
    <A> Mono<McpSchema.CallToolResult> call(
            McpAsyncServerExchange exchange, McpSchema.CallToolRequest request, Class<A> type, Work<A, Result> work) {
        return Mono.defer(() -> {
                    A arguments = arguments(request.arguments(), type);
                    return run(exchange, caller -> work.apply(caller, arguments));
                })
                .map(this::success)
                .onErrorResume(failure -> Mono.just(error(failure, request.name())));
    }

    /** Runs {@code work} as the exchange's caller on a fresh duplicated Vert.x context, within the request timeout. */
    <T> Mono<T> run(McpAsyncServerExchange exchange, Function<Caller, Uni<T>> work) {
        McpTransportContext transport = exchange.transportContext();
        Caller caller = (Caller) transport.get(McpHttpTransport.CALLER);
        Context context = (Context) transport.get(McpHttpTransport.VERTX_CONTEXT);
        if (caller == null || context == null) {
            return Mono.error(new IllegalStateException("MCP request without its caller"));
        }
        // A sub-context of the request's own, flagged safe: Hibernate Reactive keeps one session per such context.
        Context own = VertxContext.createNewDuplicatedContext(context);
        VertxContextSafetyToggle.setContextSafe(own, true);
        return Mono.fromFuture(() -> {
            CompletableFuture<T> done = new CompletableFuture<>();
            own.runOnContext(ignored -> Uni.createFrom()
                    .deferred(() -> work.apply(caller))
                    .ifNoItem()
                    .after(timeout)
                    .failWith(() -> new TimeoutException("took longer than " + timeout.toSeconds() + " s"))
                    .subscribe()
                    .with(done::complete, done::completeExceptionally));
            return done;
        });
    }

    /**
     * Whether the caller may see drafts: the REST API's rule ({@link ContentAccess#reader(boolean, Caller)}), its 401
     * included. A caller with no user and no role is anonymous: every credential names a user or carries a role.
     */
    boolean reader(Caller caller) {
        return access.reader(caller.userId() == null && caller.roles().isEmpty(), caller);
    }

    /** Structured content must be a JSON object: records become maps. */
    Map<String, Object> object(Object value) {
        return json.convertValue(value, OBJECT);
    }

    <A> A arguments(Map<String, Object> raw, Class<A> type) {
        A arguments;
        try {
            arguments = strict.convertValue(raw == null ? Map.of() : raw, type);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(describe(e));
        }
        validate(arguments);
        return arguments;
    }

    /** Checks a request record with the REST API's own constraints; nested paths lose their record's prefix. */
    void validate(Object value) {
        Set<ConstraintViolation<Object>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    private McpSchema.CallToolResult success(Result result) {
        McpSchema.CallToolResult.Builder builder =
                McpSchema.CallToolResult.builder().addTextContent(result.text());
        if (result.structured() != null) {
            builder.structuredContent(object(result.structured()));
        }
        return builder.isError(false).build();
    }

    /** A failure as a tool error: the REST API's problem in words a model can act on. */
    static McpSchema.CallToolResult error(Throwable failure, String tool) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(message(failure, tool))
                .isError(true)
                .build();
    }

    static String message(Throwable failure, String tool) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof ProblemException problem) {
            StringBuilder text = new StringBuilder(problem.title())
                    .append(" (")
                    .append(problem.status())
                    .append(')');
            if (problem.getMessage() != null && !problem.getMessage().isBlank()) {
                text.append(": ").append(problem.getMessage());
            }
            if (!problem.errors().isEmpty()) {
                text.append(" — ").append(Problem.summary(problem.errors()));
            }
            if (problem.retryAfterSeconds() != null) {
                text.append(" Try again in ")
                        .append(problem.retryAfterSeconds())
                        .append(" s.");
            }
            return text.toString();
        }
        if (cause instanceof ConstraintViolationException invalid) {
            List<String> errors = new ArrayList<>();
            invalid.getConstraintViolations().stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .forEach(v -> errors.add(field(v.getPropertyPath().toString()) + " " + v.getMessage()));
            return "Invalid arguments (400): " + String.join("; ", errors);
        }
        if (cause instanceof UnauthorizedException) {
            return "Unauthorized (401): this tool needs credentials (an API key or a bearer token on the MCP connection)";
        }
        if (cause instanceof ForbiddenException forbidden) {
            return "Forbidden (403): " + (forbidden.getMessage() == null ? "not allowed" : forbidden.getMessage());
        }
        if (cause instanceof TimeoutException timeout) {
            return "Timed out (504): the tool " + timeout.getMessage() + "; try again, or narrow the request";
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(cause, "MCP tool %s failed (reference %s)", tool, reference);
        return "Internal error (500): the tool failed; reference " + reference;
    }

    /** What is wrong with arguments that do not bind: the argument and the reason, no Java type names. */
    private static String describe(IllegalArgumentException e) {
        if (!(e.getCause() instanceof JsonMappingException mapping)) {
            return "invalid arguments";
        }
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            return "unknown argument " + unknown.getPropertyName();
        }
        String path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."));
        String reason;
        if (mapping instanceof StrictJson.Refused refused) {
            reason = refused.getOriginalMessage();
        } else if (mapping instanceof InvalidFormatException format) {
            reason = "cannot be read as " + format.getTargetType().getSimpleName();
        } else {
            reason = "has the wrong type";
        }
        return (path.isEmpty() ? "arguments" : path) + " " + reason;
    }

    /** {@code search.arg0.filters.book} and the like: the argument's own name is what a caller can fix. */
    private static String field(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    /** A tool's work: its arguments and its caller in, its result out. */
    @FunctionalInterface
    interface Work<A, R> {
        Uni<R> apply(Caller caller, A arguments);
    }
}
