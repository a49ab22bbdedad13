package dev.lectern.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared Content-Length exceeds the HTTP body limit with a problem+json 413, before
 * the body is read. (Vert.x would answer with an empty 413.) Clients that send {@code Expect: 100-continue}
 * see this answer without uploading anything.
 *
 * <p>A body that announces no length (chunked) is read here in full by a Vert.x body handler bounded by the same limit,
 * which fails the route with 413 once the limit is passed; {@link HttpLayerProblems} answers that as a problem.
 * Otherwise Quarkus REST would count the bytes itself while deserialising and end the exchange with an empty 413 that
 * no exception mapper sees. Every endpoint buffers its body anyway (JSON, Markdown, a zip as bytes), so reading it
 * first costs no extra memory.
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** After {@link HttpLayerProblems}' limits and Quarkus' CORS filter (300), before authentication (200). */
    private static final int PRIORITY = HttpLayerProblems.LIMITS_PRIORITY - 10;

    private final long maxBytes;
    private final BodyHandler unannouncedBodies;

    public BodyLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
        this.unannouncedBodies =
                BodyHandler.create(false).setBodyLimit(maxBytes).setHandleFileUploads(false);
    }

    void register(@Observes Filters filters) {
        filters.register(
                rc -> {
                    String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (declared != null && exceeds(declared)) {
                        HttpLayerProblems.send(
                                rc,
                                413,
                                Problem.TYPE_BASE + "payload-too-large",
                                "Payload too large",
                                "the request body is larger than " + maxBytes + " bytes");
                        return;
                    }
                    if (declared == null && mayHaveBody(rc.request().method())) {
                        unannouncedBodies.handle(rc);
                        return;
                    }
                    rc.next();
                },
                PRIORITY);
    }

    private static boolean mayHaveBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
