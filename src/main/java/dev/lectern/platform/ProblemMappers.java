package dev.lectern.platform;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure to RFC 9457 problem+json. Bad input is always a 4xx with a message a client can
 * act on; anything unexpected is a 500 that carries an error id for the logs, never a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String CHALLENGE = "Bearer, ApiKey header=\"X-Api-Key\"";
    /** Seconds a client should wait after a 503: about what a dropped connection or a waking Neon compute needs. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final MeterRegistry metrics;

    public ProblemMappers(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated("credentials are required: send Authorization: Bearer <JWT> or X-Api-Key", uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated("the credentials are invalid, expired or revoked", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? "the caller's roles do not allow this"
                : e.getMessage();
        return respond(new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403, detail, path(uri), List.of()));
    }

    private Response unauthenticated(String detail, UriInfo uri) {
        metrics.counter("lectern.auth.rejected").increment();
        return Response.status(401)
                .header("WWW-Authenticate", CHALLENGE)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        Problem.TYPE_BASE + "unauthorized", "Unauthorized", 401, detail, path(uri), List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(
                new Problem(Problem.TYPE_BASE + e.type(), e.title(), e.status(), e.getMessage(), path(uri), e.errors()),
                e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        String detail = errors.isEmpty() ? "invalid request" : Problem.summary(errors);
        return respond(
                new Problem(Problem.TYPE_BASE + "validation", "Invalid request", 400, detail, path(uri), errors));
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e, UriInfo uri) {
        String field = jsonPath(e);
        return respond(new Problem(
                Problem.TYPE_BASE + "validation",
                "Invalid request",
                400,
                "unknown property '" + e.getPropertyName() + "'",
                path(uri),
                List.of(new Problem.FieldError(field, "unknown property"))));
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        String field = jsonPath(e);
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        return respond(new Problem(
                Problem.TYPE_BASE + "validation",
                "Invalid request",
                400,
                field + ": expected " + expected,
                path(uri),
                List.of(new Problem.FieldError(field, "expected " + expected))));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e);
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        List<Problem.FieldError> errors =
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, "expected " + expected));
        return respond(new Problem(
                Problem.TYPE_BASE + "malformed-json",
                "Malformed JSON",
                400,
                field.isEmpty() ? "request body must be a JSON " + expected : field + ": expected " + expected,
                path(uri),
                errors));
    }

    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    /** A value {@link StrictJson} refuses (text or an instant PostgreSQL cannot store, an over-long list). */
    private Response refused(StrictJson.Refused e, UriInfo uri) {
        String field = jsonPath(e);
        return respond(new Problem(
                Problem.TYPE_BASE + "validation",
                "Invalid request",
                400,
                field + ": " + e.getOriginalMessage(),
                path(uri),
                List.of(new Problem.FieldError(field, e.getOriginalMessage()))));
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        if (e instanceof StrictJson.Refused refused) {
            return refused(refused, uri);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownProperty(unknown, uri);
        }
        if (e instanceof InvalidFormatException format) {
            return invalidFormat(format, uri);
        }
        if (e instanceof MismatchedInputException mismatch) {
            return mismatchedInput(mismatch, uri);
        }
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof ProblemException problem) {
            // A parameter converter's refusal (StrictParameters), wrapped by the REST layer.
            return problem(problem, uri);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json instanceof JsonMappingException mapping ? jsonMapping(mapping, uri) : malformedJson(json, uri);
        }
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers 404 when a query or path parameter cannot be converted; for a client that is bad input.
            return respond(new Problem(
                    Problem.TYPE_BASE + "validation",
                    "Invalid request",
                    400,
                    "a query or path parameter has the wrong type: "
                            + e.getCause().getMessage(),
                    path(uri),
                    List.of()));
        }
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.StatusType statusType = e.getResponse().getStatusInfo();
        String title = statusType.getReasonPhrase() == null ? "HTTP " + status : statusType.getReasonPhrase();
        String detail = detailFor(status, e, uri);
        return Response.fromResponse(e.getResponse())
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.typeOf(title), title, status, detail, path(uri), List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (findCause(e, org.hibernate.StaleStateException.class) != null
                || findCause(e, jakarta.persistence.OptimisticLockException.class) != null) {
            return respond(new Problem(
                    Problem.TYPE_BASE + "concurrent-update",
                    "Concurrent update",
                    409,
                    "the resource was changed concurrently; read it again and retry",
                    path(uri),
                    List.of()));
        }
        String sqlState = sqlState(e);
        if (sqlState != null) {
            switch (sqlState) {
                case "23505":
                    return duplicate(constraintName(e), uri);
                case "23503":
                    return respond(new Problem(
                            Problem.TYPE_BASE + "conflict",
                            "Conflict",
                            409,
                            "the resource refers to or is referred to by another that does not allow this change",
                            path(uri),
                            List.of()));
                case "23514", "22001", "22P02":
                    return respond(new Problem(
                            Problem.TYPE_BASE + "validation",
                            "Invalid request",
                            400,
                            "a value is out of range or malformed",
                            path(uri),
                            List.of()));
                case "40001", "40P01":
                    return respond(new Problem(
                            Problem.TYPE_BASE + "concurrent-update",
                            "Concurrent update",
                            409,
                            "the resource was changed concurrently; retry the request",
                            path(uri),
                            List.of()));
                default:
                    break;
            }
        }
        if (DatabaseFailures.unavailable(e)) {
            // Connection lost or refused, pool acquisition timed out: the database is down or unreachable for now.
            LOG.warnf("database unavailable on %s: %s", path(uri), e.toString());
            metrics.counter("lectern.database.unavailable").increment();
            return respond(
                    new Problem(
                            Problem.TYPE_BASE + "unavailable",
                            "Service unavailable",
                            503,
                            "the database is unavailable; retry shortly",
                            path(uri),
                            List.of()),
                    RETRY_AFTER_SECONDS);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, path(uri));
        return respond(new Problem(
                Problem.TYPE_BASE + "internal",
                "Internal error",
                500,
                "unexpected error; quote id " + errorId + " when reporting it",
                path(uri),
                List.of()));
    }

    /** A unique violation: names the field when the constraint follows the {@code <table>_<column>_key} convention. */
    private static Response duplicate(String constraint, UriInfo uri) {
        java.util.regex.Matcher m = constraint == null
                ? null
                : java.util.regex.Pattern.compile("^[a-z]+s_([a-z_]+?)_key$").matcher(constraint);
        if (m != null && m.matches()) {
            String field = toCamel(m.group(1));
            return respond(new Problem(
                    Problem.TYPE_BASE + "conflict",
                    "Conflict",
                    409,
                    field + " is already used",
                    path(uri),
                    List.of(new Problem.FieldError(field, "is already used"))));
        }
        return respond(new Problem(
                Problem.TYPE_BASE + "conflict",
                "Conflict",
                409,
                "a resource with the same key already exists",
                path(uri),
                List.of()));
    }

    private static String toCamel(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    private static String sqlState(Throwable e) {
        return DatabaseFailures.sqlState(e);
    }

    private static String constraintName(Throwable e) {
        org.hibernate.exception.ConstraintViolationException violation =
                findCause(e, org.hibernate.exception.ConstraintViolationException.class);
        if (violation != null && violation.getConstraintName() != null) {
            return violation.getConstraintName();
        }
        PgException pg = findCause(e, PgException.class);
        return pg == null ? null : pg.getConstraint();
    }

    private Response malformedJson(JsonProcessingException e, UriInfo uri) {
        String location = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return respond(new Problem(
                Problem.TYPE_BASE + "malformed-json",
                "Malformed JSON",
                400,
                "request body is not valid JSON" + location,
                path(uri),
                duplicateKey(e)));
    }

    /** A key repeated in one object (STRICT_DUPLICATE_DETECTION), named by its path; otherwise no field errors. */
    private static List<Problem.FieldError> duplicateKey(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser)
                || e.getOriginalMessage() == null
                || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return List.of();
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (com.fasterxml.jackson.core.JsonStreamContext c = parser.getParsingContext();
                c != null && !c.inRoot();
                c = c.getParent()) {
            parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String field = String.join("", parts).replaceFirst("^\\.", "");
        return List.of(new Problem.FieldError(field, "duplicate key"));
    }

    private static String detailFor(int status, WebApplicationException e, UriInfo uri) {
        return switch (status) {
            case 404 -> "no resource at " + path(uri);
            case 405 -> "method not allowed on " + path(uri);
            case 406 -> "none of the acceptable media types can be produced";
            case 415 -> "unsupported content type; see the API description for what this endpoint consumes";
            default ->
                e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? "request rejected" : e.getMessage();
        };
    }

    private static Response respond(Problem problem) {
        return respond(problem, null);
    }

    /** The problem, with {@code Retry-After: retryAfterSeconds} when that is not null. */
    private static Response respond(Problem problem, Object retryAfterSeconds) {
        Response.ResponseBuilder response =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfterSeconds != null) {
            response.header("Retry-After", retryAfterSeconds);
        }
        return response.build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.toString().toLowerCase())
                            .toList();
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == java.time.Instant.class || type == java.time.LocalDate.class) {
            return "an ISO-8601 " + (type == java.time.Instant.class ? "instant" : "date");
        }
        return "an object";
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The JSON path of a violation: {@code profile.experienceLevel}, {@code roles[0]}, or a parameter's name. */
    private static String fieldName(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {}
                case PARAMETER -> {
                    parameter = node.getName();
                    path.setLength(0);
                }
                default -> {
                    // An element of a list sits under its container's node with an index (or a key for maps).
                    if (node.getIndex() != null) {
                        path.append('[').append(node.getIndex()).append(']');
                    } else if (node.getKey() != null) {
                        path.append('[').append(node.getKey()).append(']');
                    }
                    if (node.getName() != null && !node.getName().startsWith("<")) {
                        if (!path.isEmpty()) {
                            path.append('.');
                        }
                        path.append(node.getName());
                    }
                }
            }
        }
        return path.isEmpty() ? parameter : path.toString();
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        return DatabaseFailures.findCause(e, type);
    }
}
