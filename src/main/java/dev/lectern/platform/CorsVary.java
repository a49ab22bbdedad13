package dev.lectern.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With CORS on, every response says {@code Vary: Origin}. Quarkus' filter (3.33) echoes the allowed origin in
 * {@code Access-Control-Allow-Origin} and sends nothing to a request without one, so the same URL answers differently
 * by origin; without the Vary a shared cache or the browser's own cache could hand one origin's answer to another,
 * which the browser would then refuse (the Fetch standard's advice for a varying allow-origin). With CORS off nothing
 * varies and nothing is added.
 */
@ApplicationScoped
public class CorsVary {

    /** Just before Quarkus' CORS filter (300), so preflights and its refusals carry the header too. */
    private static final int PRIORITY = 310;

    private final boolean corsEnabled;

    public CorsVary(@ConfigProperty(name = "quarkus.http.cors.enabled", defaultValue = "false") boolean corsEnabled) {
        this.corsEnabled = corsEnabled;
    }

    void register(@Observes Filters filters) {
        if (corsEnabled) {
            filters.register(
                    rc -> {
                        rc.response().headers().add(HttpHeaders.VARY, "Origin");
                        rc.next();
                    },
                    PRIORITY);
        }
    }
}
