package dev.lectern.catalogue.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.catalogue.content.BookService;
import dev.lectern.catalogue.content.BookViews.CreateBookRequest;
import dev.lectern.catalogue.curriculum.FrameworkService;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateFrameworkRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateOutcomeRequest;
import dev.lectern.platform.ProblemException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jboss.logging.Logger;

/**
 * Loads the sample book shipped in {@code src/main/resources/sample-book} (dev mode: {@code lectern.sample-book.load=true}).
 * It goes through the same import path as {@code POST /api/v1/books/{book}/import}, and is idempotent: a restart
 * finds every chapter unchanged.
 */
@ApplicationScoped
public class SampleBookLoader {

    static final String ROOT = "sample-book/";
    private static final Logger LOG = Logger.getLogger(SampleBookLoader.class);

    private final boolean load;
    private final BookService books;
    private final FrameworkService frameworks;
    private final ImportService imports;
    private final ObjectMapper json;

    public SampleBookLoader(
            SampleBookConfig config,
            BookService books,
            FrameworkService frameworks,
            ImportService imports,
            ObjectMapper json) {
        this.load = config.load();
        this.books = books;
        this.frameworks = frameworks;
        this.imports = imports;
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!load) {
            return;
        }
        // Start-up thread, not an event loop: waiting here is allowed and keeps the service from answering half-loaded.
        ImportViews.ImportResult result = VertxContextSupport.subscribeAndAwait(this::loadSampleBook);
        LOG.infof(
                "sample book '%s' loaded: %d chapters created, %d updated, %d unchanged, %d failed",
                result.book(), result.created(), result.updated(), result.unchanged(), result.failed());
    }

    public Uni<ImportViews.ImportResult> loadSampleBook() {
        JsonNode manifest = readJson(ROOT + "book.json");
        CreateBookRequest book = json.convertValue(manifest.path("book"), CreateBookRequest.class);
        CreateFrameworkRequest framework = json.convertValue(manifest.path("framework"), CreateFrameworkRequest.class);
        List<CreateOutcomeRequest> outcomes = new ArrayList<>();
        manifest.path("outcomes").forEach(o -> outcomes.add(json.convertValue(o, CreateOutcomeRequest.class)));
        List<String> files = new ArrayList<>();
        manifest.path("files").forEach(f -> files.add(f.asText()));
        DocsFolder.Layout docs = DocsFolder.read(new java.io.ByteArrayInputStream(zip(files)), 1000, 64L << 20);

        return ignoreConflict(frameworks.create(framework))
                .chain(() -> sequentially(outcomes, o -> ignoreConflict(frameworks.createOutcome(framework.code(), o))))
                .chain(() -> ignoreConflict(books.create(book)))
                .chain(() -> imports.importLayout(book.slug(), docs));
    }

    private static <T> Uni<Void> sequentially(List<T> items, java.util.function.Function<T, Uni<Void>> each) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.chain(() -> each.apply(item));
        }
        return chain;
    }

    private static Uni<Void> ignoreConflict(Uni<?> uni) {
        return uni.replaceWithVoid()
                .onFailure(e -> e instanceof ProblemException p && p.status() == 409)
                .recoverWithNull();
    }

    private JsonNode readJson(String resource) {
        try (InputStream in = resource(resource)) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] zip(List<String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String file : files) {
                out.putNextEntry(new ZipEntry(file));
                try (InputStream in = resource(ROOT + file)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static InputStream resource(String name) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        return in;
    }
}
