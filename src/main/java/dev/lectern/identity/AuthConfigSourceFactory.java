package dev.lectern.identity;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps {@code LECTERN_AUTH_JWKS_URL}, {@code LECTERN_AUTH_ISSUER} and {@code LECTERN_AUTH_AUDIENCE} onto the
 * MicroProfile JWT properties only when they are set: an empty {@code mp.jwt.verify.*} value (what
 * {@code ${VAR:}} in application.properties would give) fails start-up, while an absent one simply leaves
 * JWT validation without a key, so bearer tokens are refused and API keys still work.
 */
public class AuthConfigSourceFactory implements ConfigSourceFactory {

    private static final int ORDINAL = 275;
    private static final Map<String, String> MAPPING = Map.of(
            "LECTERN_AUTH_JWKS_URL", "mp.jwt.verify.publickey.location",
            "LECTERN_AUTH_ISSUER", "mp.jwt.verify.issuer",
            "LECTERN_AUTH_AUDIENCE", "mp.jwt.verify.audiences");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> props = new HashMap<>();
        MAPPING.forEach((variable, property) -> {
            ConfigValue value = context.getValue(variable);
            if (value != null && value.getValue() != null && !value.getValue().isBlank()) {
                props.put(property, value.getValue().trim());
            }
        });
        return List.of(new MapBackedConfigSource("lectern-auth-env", props, ORDINAL) {});
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
