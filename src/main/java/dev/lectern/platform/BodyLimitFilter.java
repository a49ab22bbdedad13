package dev.lectern.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared Content-Length exceeds the HTTP body limit with a problem+json 413, before
 * the body is read. (Vert.x would answer with an empty 413.) Clients that send {@code Expect: 100-continue}
 * see this answer without uploading anything.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long maxBytes;

    public BodyLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(
                rc -> {
                    String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (declared != null && exceeds(declared)) {
                        String body = "{\"type\":\"" + Problem.TYPE_BASE
                                + "payload-too-large\",\"title\":\"Payload too large\",\"status\":413,"
                                + "\"detail\":\"the request body is larger than " + maxBytes + " bytes\"}";
                        rc.response()
                                .setStatusCode(413)
                                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                                .putHeader(HttpHeaders.CONNECTION, "close")
                                .end(body);
                        return;
                    }
                    rc.next();
                },
                1000);
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
