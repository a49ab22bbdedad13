package dev.lectern.platform;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code LECTERN_CORS_ORIGINS} ({@code lectern.cors.origins}) into Quarkus' CORS filter settings: set, it
 * enables the filter for those origins; unset, the filter stays off (application.properties) and no response carries
 * a CORS header. One variable instead of two, because an enabled filter with no origins would refuse every
 * cross-origin request with a 403, including those of clients that merely send an {@code Origin} header.
 *
 * <p>Each entry is an origin ({@code https://app.example.com}, {@code http://localhost:5173}, any scheme such as
 * {@code capacitor://localhost}), a regular expression between slashes ({@code /https://[a-z0-9-]+[.]example[.]com/},
 * matched against the whole origin), or {@code *} alone. Entries are checked here, so a mistake fails start-up with a
 * message rather than never matching: a trailing slash or a path ({@code https://app.example.com/}), {@code *} among
 * other entries, a regular expression that does not compile. Origins are lower-cased, as browsers send them.
 *
 * <p>Ordinal 275 sits above application.properties (250), so the variable replaces the dev profile's localhost default,
 * and below environment variables (300), so {@code QUARKUS_HTTP_CORS_*} still wins.
 */
public class CorsConfigSourceFactory implements ConfigSourceFactory {

    static final String VARIABLE = "LECTERN_CORS_ORIGINS";
    private static final String PROPERTY = "lectern.cors.origins";
    private static final int ORDINAL = 275;
    /** scheme://host[:port]: no user info, path, query or fragment (an Origin header never has them). */
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#@\\s]+");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(PROPERTY);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        String origins = String.join(",", origins(value.getValue()));
        return List.of(
                new MapBackedConfigSource(
                        "lectern-cors-env",
                        Map.of("quarkus.http.cors.enabled", "true", "quarkus.http.cors.origins", origins),
                        ORDINAL) {});
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The checked entries of a comma-separated list; throws IllegalArgumentException naming the first bad one. */
    static List<String> origins(String list) {
        List<String> origins = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (!entry.isEmpty()) {
                origins.add(checked(entry));
            }
        }
        if (origins.contains("*") && origins.size() > 1) {
            throw invalid("*", "allows every origin, so it stands alone");
        }
        return origins;
    }

    private static String checked(String entry) {
        if (entry.equals("*")) {
            return entry;
        }
        if (entry.length() > 2 && entry.startsWith("/") && entry.endsWith("/")) {
            try {
                Pattern.compile(entry.substring(1, entry.length() - 1));
            } catch (PatternSyntaxException e) {
                throw invalid(entry, "is not a regular expression: " + e.getDescription());
            }
            return entry;
        }
        String origin = entry.toLowerCase(Locale.ROOT);
        if (!ORIGIN.matcher(origin).matches()) {
            throw invalid(
                    entry,
                    "is not an origin: scheme://host[:port] with no path and no trailing slash, e.g."
                            + " https://app.example.com");
        }
        return origin;
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException(VARIABLE + ": '" + entry + "' " + why);
    }
}
