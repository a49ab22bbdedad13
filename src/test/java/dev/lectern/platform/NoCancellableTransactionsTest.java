package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A client that disconnects mid-transaction must not cost a pool connection (quarkusio/quarkus#51576): every Hibernate
 * Reactive transaction goes through {@link UncancellableTransaction} (or its interceptor's {@code run}), never a plain
 * {@code @WithTransaction} or {@code Panache.withTransaction}.
 */
class NoCancellableTransactionsTest {

    private static final Pattern CANCELLABLE =
            Pattern.compile("^\\s*@WithTransaction\\b|Panache\\.withTransaction\\(", Pattern.MULTILINE);

    @Test
    void noSourceOpensACancellableTransaction() throws IOException {
        Path interceptor = Path.of("src/main/java/dev/lectern/platform/UncancellableTransactionInterceptor.java");
        List<String> offenders;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            offenders = sources.filter(p -> p.toString().endsWith(".java") && !p.equals(interceptor))
                    .filter(p -> CANCELLABLE.matcher(read(p)).find())
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders)
                .as("use @UncancellableTransaction or UncancellableTransactionInterceptor.run")
                .isEmpty();
        assertThat(read(interceptor)).contains("Panache.withTransaction(");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
