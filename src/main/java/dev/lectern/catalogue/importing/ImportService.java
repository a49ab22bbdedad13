package dev.lectern.catalogue.importing;

import dev.lectern.catalogue.ContentConfig;
import dev.lectern.catalogue.content.BookService;
import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.catalogue.importing.ImportViews.FileResult;
import dev.lectern.catalogue.importing.ImportViews.FileStatus;
import dev.lectern.catalogue.importing.ImportViews.ImportResult;
import dev.lectern.platform.Offload;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.UncancellableTransactionInterceptor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Imports a zipped Docusaurus docs folder into a book. Each file is parsed and stored in its own
 * transaction, so a bad file is reported and does not abort the others. Chapter numbers follow the
 * sidebar order of the folder.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);

    private final ChapterService chapters;
    private final BookService books;
    private final int maxFiles;
    private final long maxBytes;
    private final long maxMarkdownBytes;

    public ImportService(ChapterService chapters, BookService books, ContentConfig config) {
        this.chapters = chapters;
        this.books = books;
        this.maxFiles = config.maxImportFiles();
        this.maxBytes = config.maxImportBytes();
        this.maxMarkdownBytes = config.maxMarkdownBytes();
    }

    public Uni<ImportResult> importZip(String bookSlug, byte[] zip) {
        // Unzipping is CPU and allocation heavy: keep it off the event loop.
        Uni<DocsFolder.Layout> layout =
                Offload.toWorker(() -> DocsFolder.read(new ByteArrayInputStream(zip), maxFiles, maxBytes));
        return Panache.withSession(() -> books.live(bookSlug))
                .chain(() -> layout)
                .chain(read -> importLayout(bookSlug, read));
    }

    /** Imports an already-read docs folder (also used by the dev-mode sample book loader). */
    public Uni<ImportResult> importLayout(String bookSlug, DocsFolder.Layout layout) {
        java.util.Set<String> importedPaths = DocsFolder.sourcePaths(layout.docs());
        return Multi.createFrom()
                .iterable(layout.docs())
                .onItem()
                .transformToUniAndConcatenate(file -> importOne(bookSlug, file, importedPaths))
                .collect()
                .asList()
                .map(results -> {
                    List<FileResult> files = new java.util.ArrayList<>(results);
                    layout.skipped()
                            .forEach(s -> files.add(
                                    new FileResult(s.path(), null, null, null, FileStatus.skipped, s.reason(), null)));
                    ImportResult result = ImportResult.of(bookSlug, layout.order(), files);
                    LOG.infof(
                            "imported book %s in %s: %d created, %d updated, %d unchanged, %d failed, %d skipped",
                            bookSlug,
                            layout.order(),
                            result.created(),
                            result.updated(),
                            result.unchanged(),
                            result.failed(),
                            result.skipped());
                    return result;
                });
    }

    private Uni<FileResult> importOne(String bookSlug, DocsFolder.DocFile file, java.util.Set<String> importedPaths) {
        if (file.markdown().getBytes(StandardCharsets.UTF_8).length > maxMarkdownBytes) {
            return Uni.createFrom()
                    .item(new FileResult(
                            file.path(),
                            file.sourcePath(),
                            file.slug(),
                            null,
                            FileStatus.failed,
                            "larger than " + maxMarkdownBytes + " bytes",
                            null));
        }
        return chapters.parse(file.markdown())
                .map(parsed -> parsed.withNumber(file.rank()))
                .chain(parsed -> UncancellableTransactionInterceptor.run(
                        () -> chapters.store(bookSlug, file.slug(), parsed, file.sourcePath(), importedPaths)))
                .map(upsert -> new FileResult(
                        file.path(),
                        file.sourcePath(),
                        upsert.chapter().slug(),
                        upsert.chapter().number(),
                        upsert.created()
                                ? FileStatus.created
                                : upsert.changed() ? FileStatus.updated : FileStatus.unchanged,
                        null,
                        null))
                .onFailure()
                .recoverWithItem(e -> failed(file, e));
    }

    private static FileResult failed(DocsFolder.DocFile file, Throwable e) {
        if (e instanceof ProblemException problem) {
            return new FileResult(
                    file.path(),
                    file.sourcePath(),
                    file.slug(),
                    null,
                    FileStatus.failed,
                    problem.getMessage(),
                    problem.errors());
        }
        LOG.warnf(e, "import of %s failed", file.path());
        return new FileResult(
                file.path(),
                file.sourcePath(),
                file.slug(),
                null,
                FileStatus.failed,
                "could not store the chapter",
                null);
    }
}
