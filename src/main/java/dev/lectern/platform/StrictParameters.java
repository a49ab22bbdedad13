package dev.lectern.platform;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Typed query, path and header parameters read strictly, refused with a 400 naming the parameter: a boolean is
 * {@code true} or {@code false} (JAX-RS would read {@code ?completed=maybe} as false), and an instant or a date is
 * ISO-8601 within years 1 to 9999 ({@link Storable}).
 *
 * <p>A primitive {@code boolean} parameter needs a {@code @DefaultValue}: without one the REST layer passes "0" for an
 * absent parameter, which is not a boolean.
 */
@Provider
public class StrictParameters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = name(annotations);
        if (rawType == Boolean.class || rawType == boolean.class) {
            return (ParamConverter<T>) new Strict<>(name, StrictParameters::bool);
        }
        if (rawType == Instant.class) {
            return (ParamConverter<T>) new Strict<>(name, text -> {
                Instant instant = parse(text, Instant::parse, "an ISO-8601 instant such as 2026-05-01T12:00:00Z");
                return inRange(instant, Storable.instantDefect(instant));
            });
        }
        if (rawType == LocalDate.class) {
            return (ParamConverter<T>) new Strict<>(name, text -> {
                LocalDate date = parse(text, LocalDate::parse, "an ISO-8601 date such as 2026-05-01");
                return inRange(date, Storable.dateDefect(date));
            });
        }
        return null;
    }

    /** A reason a value is refused, before the converter knows the parameter's name. */
    private static final class Bad extends RuntimeException {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private static Boolean bool(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new Bad("must be true or false");
        };
    }

    private static <T> T parse(String text, Function<String, T> parser, String expected) {
        try {
            return parser.apply(text);
        } catch (DateTimeParseException e) {
            throw new Bad("must be " + expected);
        }
    }

    private static <T> T inRange(T value, String defect) {
        if (defect != null) {
            throw new Bad(defect);
        }
        return value;
    }

    private record Strict<T>(String name, Function<String, T> read) implements ParamConverter<T> {

        @Override
        public T fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return read.apply(value);
            } catch (Bad e) {
                throw ProblemException.invalid(name, e.getMessage());
            }
        }

        @Override
        public String toString(T value) {
            return value == null ? null : value.toString();
        }
    }

    /** The parameter's name from its annotation ("parameter" when the annotation leaves it to the Java name). */
    private static String name(Annotation[] annotations) {
        for (Annotation a : annotations == null ? new Annotation[0] : annotations) {
            String name = switch (a) {
                case QueryParam q -> q.value();
                case PathParam p -> p.value();
                case HeaderParam h -> h.value();
                case RestQuery q -> q.value();
                case RestPath p -> p.value();
                case RestHeader h -> h.value();
                default -> null;
            };
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return "parameter";
    }
}
