package dev.lectern.platform;

import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The text of a request outside its body: query and path parameters are refused with a 400 naming them when
 * PostgreSQL could not store them ({@link Storable#textDefect}: {@code %00} decodes to NUL), and a query parameter
 * must have a value ({@code ?limit=} is a mistake, not "the default"). Header values need no check here: the HTTP
 * layer refuses a NUL in a header before the application sees it, and decodes header bytes as ISO-8859-1, which
 * yields no surrogates.
 */
public class RequestText {

    @ServerRequestFilter
    public void queryAndPath(UriInfo uri) {
        for (Map.Entry<String, List<String>> parameter :
                uri.getQueryParameters().entrySet()) {
            refuseDefect("query", parameter.getKey());
            for (String value : parameter.getValue()) {
                if (value.isEmpty()) {
                    throw ProblemException.invalid(parameter.getKey(), "must not be empty; leave the parameter out");
                }
                refuseDefect(parameter.getKey(), value);
            }
        }
        for (Map.Entry<String, List<String>> parameter : uri.getPathParameters().entrySet()) {
            for (String value : parameter.getValue()) {
                refuseDefect(parameter.getKey(), value);
            }
        }
    }

    private static void refuseDefect(String field, String text) {
        String defect = Storable.textDefect(text);
        if (defect != null) {
            throw ProblemException.invalid(field, defect);
        }
    }
}
