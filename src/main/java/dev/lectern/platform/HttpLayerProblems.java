package dev.lectern.platform;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Errors the HTTP layer produces before a resource method runs, answered as problem+json like every other error:
 *
 * <ul>
 *   <li>a request target or header block over {@link HttpLimitsConfig}'s limits: 414 or 431, checked here first;
 *   <li>a status-only failure of the Vert.x router (the body limit passed by a chunked upload, which no
 *       Content-Length announced; any other 4xx a handler signals with {@code RoutingContext.fail(status)});
 *   <li>a request target that is not a URI (a malformed percent-escape, a raw '|'): Quarkus' root handler would answer
 *       it with an empty 400 before any route runs, so {@link RequestTargets} turns that check off and it is made here;
 *   <li>a Host header the router cannot read, which Vert.x Web refuses with a 400 before any route runs;
 *   <li>a body the decoder cannot frame, or a connection the client closed mid-request: not a server error.
 * </ul>
 *
 * What this cannot reach: a request the HTTP/1.1 decoder itself rejects (a request line or header block past the
 * decoder's limits, which application.properties sets far above ours; a malformed request line; a header value with
 * a NUL, CR or LF, which Vert.x's header validation refuses). Vert.x answers those with an empty 400, 414 or 431 and
 * closes the connection through its server's {@code invalidRequestHandler}, which Quarkus 3.33 creates and starts
 * itself and offers no way to replace (quarkusio/quarkus#55082). Such a request never reaches a route.
 */
@ApplicationScoped
public class HttpLayerProblems {

    /**
     * Runs before {@link BodyLimitFilter} and authentication (200), after Quarkus' CORS filter (300), so that a
     * browser script can read these problems: the CORS headers are on the response before they are sent.
     */
    static final int LIMITS_PRIORITY = 290;

    private static final Logger LOG = Logger.getLogger(HttpLayerProblems.class);
    /** Problem instances longer than this are left out rather than echoing a huge request target. */
    private static final int MAX_INSTANCE_LENGTH = 1024;

    private final HttpLimitsConfig limits;
    private final long maxBodyBytes;

    public HttpLayerProblems(
            HttpLimitsConfig limits,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.limits = limits;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void registerLimits(@Observes Filters filters) {
        filters.register(this::checkLimits, LIMITS_PRIORITY);
    }

    void registerFailureHandler(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    private void checkLimits(RoutingContext rc) {
        String target = rc.request().uri();
        if (target.length() > limits.maxUriLength()) {
            send(
                    rc,
                    414,
                    Problem.TYPE_BASE + "uri-too-long",
                    "URI too long",
                    "the request target is longer than " + limits.maxUriLength() + " characters");
            return;
        }
        if (!RequestTargets.isUri(target)) {
            badRequest(
                    rc,
                    "the request target is not a valid URI: a malformed percent-escape, or a character "
                            + "that must be percent-encoded");
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : rc.request().headers()) {
            // As sent: "name: value\r\n".
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > limits.maxHeaderSize()) {
            send(
                    rc,
                    431,
                    Problem.TYPE_BASE + "header-fields-too-large",
                    "Request header fields too large",
                    "the request headers are larger than " + limits.maxHeaderSize() + " bytes");
            return;
        }
        rc.next();
    }

    private void failure(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (failure instanceof HttpClosedException || fromTheDecoder(failure)) {
            abandoned(rc, failure);
            return;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : rc.statusCode();
        boolean statusOnly = failure == null || failure instanceof HttpException;
        // Vert.x Web refuses a request whose Host it cannot read (a port out of range, an unclosed IPv6 bracket) or
        // whose path does not start with '/' with a 400 carrying a VertxException with a fixed message.
        boolean routerRefusal = failure instanceof VertxException && status == 400;
        if (!(statusOnly || routerRefusal)
                || status < 400
                || status >= 500
                || rc.response().headWritten()) {
            // Exceptions are mapped by ProblemMappers or Quarkus' own handlers (authentication); leave them be.
            rc.next();
            return;
        }
        if (routerRefusal) {
            badRequest(rc, failure.getMessage());
            return;
        }
        if (status == 413) {
            send(
                    rc,
                    413,
                    Problem.TYPE_BASE + "payload-too-large",
                    "Payload too large",
                    "the request body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        String title = HttpResponseStatus.valueOf(status).reasonPhrase();
        send(rc, status, Problem.typeOf(title), title, "request rejected");
    }

    /**
     * A request body the HTTP decoder could not frame (a chunk size that is not hexadecimal) or a connection the client
     * closed mid-request. Vert.x closes the connection in both cases, so there is rarely anyone to answer, and the
     * fault is the client's: Quarkus' default handler would log each as a server error with a stack trace (a bad
     * chunk twice), which lets any client fill the log.
     */
    private static void abandoned(RoutingContext rc, Throwable failure) {
        LOG.debugf("request to %s abandoned: %s", rc.request().path(), failure);
        if (!rc.response().closed() && !rc.response().headWritten()) {
            badRequest(rc, "the request body is not framed correctly");
        }
    }

    /**
     * Thrown by Netty's HTTP/1.1 codec (a NumberFormatException from a chunk size, a TooLongFrameException), told by
     * where it was thrown: a database driver's decoder failing is another matter and stays a 500.
     */
    static boolean fromTheDecoder(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (failure.getClass().getName().startsWith("io.netty.handler.codec.http.")) {
            return true;
        }
        StackTraceElement[] frames = failure.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith("io.netty.handler.codec.http.");
    }

    /**
     * Ends the exchange with a problem and {@code Connection: close}: the request's body, if it has one, is not read,
     * so the connection cannot carry another request.
     */
    private static void badRequest(RoutingContext rc, String detail) {
        send(rc, 400, Problem.typeOf("Bad request"), "Bad request", detail);
    }

    static void send(RoutingContext rc, int status, String type, String title, String detail) {
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        answer(rc, status, type, title, detail);
    }

    /** Ends the exchange with a problem+json answer: for a route outside the REST layer and its exception mappers. */
    public static void answer(RoutingContext rc, int status, String type, String title, String detail) {
        JsonObject problem = new JsonObject()
                .put("type", type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        String path = rc.request().path();
        if (path != null && path.length() <= MAX_INSTANCE_LENGTH) {
            problem.put("instance", path);
        }
        rc.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem.encode());
    }
}
