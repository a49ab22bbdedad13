package dev.lectern.support;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** Runs a {@link ConfigSourceFactory} outside Quarkus, in the prod profile, against the given values. */
public final class ConfigSourceFactories {

    private ConfigSourceFactories() {}

    /** The properties the factory's sources hold when the configuration has these values. */
    public static Map<String, String> properties(ConfigSourceFactory factory, Map<String, String> values) {
        ConfigSourceContext context = new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = values.get(name);
                return value == null
                        ? null
                        : ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }

            @Override
            public List<String> getProfiles() {
                return List.of("prod");
            }
        };
        Map<String, String> props = new HashMap<>();
        for (ConfigSource source : factory.getConfigSources(context)) {
            props.putAll(source.getProperties());
        }
        return props;
    }
}
