package dev.lectern;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native image cannot be built here (no GraalVM or Mandrel), so this checks the part of native readiness that can
 * be checked: every JSON record ({@code *View}, {@code *Request}, and everything in a {@code *Views} class) is
 * registered for reflection by {@link NativeReflection}, directly or through a registered enclosing class.
 */
class NativeReflectionTest {

    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void everyJsonRecordIsRegisteredForReflection() throws Exception {
        RegisterForReflection registration = NativeReflection.class.getAnnotation(RegisterForReflection.class);
        assertThat(registration).isNotNull();
        assertThat(registration.ignoreNested())
                .as("nested records come with their *Views class")
                .isFalse();
        Set<Class<?>> registered = Set.of(registration.targets());

        Set<String> missing = new TreeSet<>();
        for (Class<?> type : compiledClasses()) {
            boolean json = type.isRecord()
                    && (type.getSimpleName().endsWith("View")
                            || type.getSimpleName().endsWith("Request"));
            boolean views =
                    type.getEnclosingClass() == null && type.getSimpleName().endsWith("Views");
            if ((json || views) && !covered(type, registered)) {
                missing.add(type.getName());
            }
        }
        assertThat(missing).as("JSON types missing from NativeReflection").isEmpty();
        assertThat(registered)
                .as("registered")
                .contains(dev.lectern.platform.Problem.class, dev.lectern.platform.Page.class);
    }

    @Test
    void aRecordOutsideTheRegistrationIsReported() {
        record OrphanView(String id) {}
        assertThat(covered(OrphanView.class, Set.of(NativeReflection.class))).isFalse();
        assertThat(covered(
                        dev.lectern.catalogue.content.BookViews.BookView.class,
                        Set.of(dev.lectern.catalogue.content.BookViews.class)))
                .isTrue();
    }

    private static boolean covered(Class<?> type, Set<Class<?>> registered) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (registered.contains(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<Class<?>> compiledClasses() throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev"))) {
            names = files.map(CLASSES::relativize)
                    .map(Path::toString)
                    .filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        }
        assertThat(names).as("compiled classes under %s", CLASSES).isNotEmpty();
        List<Class<?>> classes = new java.util.ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name, false, NativeReflectionTest.class.getClassLoader()));
        }
        return classes;
    }
}
