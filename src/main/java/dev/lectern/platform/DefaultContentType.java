package dev.lectern.platform;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A JSON API: a POST, PUT or PATCH that names no Content-Type is read as JSON, so actions whose body is optional
 * ({@code POST /me/sessions}, {@code .../heartbeat}) can be called with no body at all instead of failing with 415.
 */
public class DefaultContentType {

    @ServerRequestFilter(preMatching = true)
    public void defaultToJson(ContainerRequestContext request) {
        String method = request.getMethod();
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null
                && ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
