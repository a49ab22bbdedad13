package dev.lectern.catalogue.importing;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lectern.platform.Problem;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The result of importing a zipped docs folder: one entry per Markdown file. */
public final class ImportViews {

    private ImportViews() {}

    public enum FileStatus {
        created,
        updated,
        unchanged,
        failed
    }

    @Schema(name = "ImportFileResult")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record FileResult(
            @Schema(example = "docs/02-nodes-and-topics.md") String path,
            @Schema(example = "nodes-and-topics") String chapter,
            @Schema(example = "2") Integer number,
            FileStatus status,
            @Schema(description = "Why the file failed") String error,
            List<Problem.FieldError> errors) {}

    @Schema(name = "ImportResult")
    public record ImportResult(
            String book, int created, int updated, int unchanged, int failed, List<FileResult> files) {

        static ImportResult of(String book, List<FileResult> files) {
            return new ImportResult(
                    book,
                    count(files, FileStatus.created),
                    count(files, FileStatus.updated),
                    count(files, FileStatus.unchanged),
                    count(files, FileStatus.failed),
                    files);
        }

        private static int count(List<FileResult> files, FileStatus status) {
            return (int) files.stream().filter(f -> f.status() == status).count();
        }
    }
}
