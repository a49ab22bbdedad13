package dev.lectern.deploy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the application reads, derived from its source rather than from a hand-kept list, so a manifest cannot name a
 * variable the code has never heard of (a typo, or a setting that was renamed):
 * <ul>
 * <li>every key of {@code application.properties} (profile prefixes stripped) and every {@code ${NAME...}} reference
 * in it, in environment-variable form ({@code lectern.content.public} is {@code LECTERN_CONTENT_PUBLIC});</li>
 * <li>every {@code @ConfigProperty(name = ...)} and {@code ${...}} expression in the main Java sources, in the same
 * form, and every property of every {@code @ConfigMapping} interface (nested groups and {@code @WithName} included),
 * as SmallRye Config itself names them;</li>
 * <li>the upper-case string literals of {@code ConfigSourceFactory} implementations (DATABASE_URL, LECTERN_AUTH_*),
 * and {@code System.getenv("...")} calls;</li>
 * <li>the variables the JVM image's launcher reads, as declared by {@code ENV} in {@code docker/Dockerfile.jvm}.</li>
 * </ul>
 */
final class ApplicationSettings {

    static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    static final Path MAIN_JAVA = Path.of("src", "main", "java");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.\\-\"]*)");
    private static final Pattern CONFIG_PROPERTY =
            Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern UPPER_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"([^\"]+)\"");
    private static final Pattern DOCKER_ENV = Pattern.compile("^ENV\\s+([A-Z_][A-Z0-9_]*)[= ]", Pattern.MULTILINE);

    private ApplicationSettings() {}

    /** Environment variable names Lectern (or its image's launcher) reads. */
    static Set<String> knownVariables() {
        Set<String> names = new TreeSet<>();
        String properties = read(PROPERTIES);
        for (String key : load(properties).stringPropertyNames()) {
            names.add(envForm(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
        }
        references(properties, names);
        for (Path source : javaSources()) {
            String java = read(source);
            CONFIG_PROPERTY.matcher(java).results().forEach(m -> names.add(envForm(m.group(1))));
            references(java, names);
            if (java.contains("implements ConfigSourceFactory")) {
                UPPER_LITERAL.matcher(java).results().forEach(m -> names.add(m.group(1)));
            }
            GETENV.matcher(java).results().forEach(m -> names.add(m.group(1)));
        }
        mappedProperties().forEach(property -> names.add(envForm(property)));
        DOCKER_ENV.matcher(read(Manifests.DOCKERFILE_JVM)).results().forEach(m -> names.add(m.group(1)));
        return names;
    }

    /**
     * The default of a property in application.properties: the literal value, or for {@code ${ENV:default}} the
     * default. Empty if the property is not set there.
     */
    static Optional<String> defaultValue(String property) {
        String value = load(read(PROPERTIES)).getProperty(property);
        if (value == null) {
            return Optional.empty();
        }
        Matcher expression = Pattern.compile("\\$\\{[^:}]+:([^}]*)}").matcher(value.trim());
        return Optional.of(expression.matches() ? expression.group(1) : value.trim());
    }

    /** SmallRye Config's environment form of a property name: non-alphanumerics become '_', letters upper case. */
    static String envForm(String property) {
        return property.replace("\"", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static void references(String text, Set<String> names) {
        REFERENCE.matcher(text).results().forEach(m -> names.add(envForm(m.group(1))));
    }

    /** Every property of Lectern's {@code @ConfigMapping} interfaces, full names, as SmallRye Config maps them. */
    static Set<String> mappedProperties() {
        Set<String> properties = new TreeSet<>();
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.lectern");
        for (JavaClass type : classes) {
            if (type.isAnnotatedWith(ConfigMapping.class)) {
                Class<?> mapping = type.reflect();
                String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
                properties.addAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, prefix))
                        .keySet());
            }
        }
        return properties;
    }

    private static Properties load(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Set<Path> javaSources() {
        try (Stream<Path> files = Files.walk(MAIN_JAVA)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + MAIN_JAVA, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
