package dev.lectern.progress.reading;

import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.ProgressExamples;
import dev.lectern.progress.reading.ReadingProgressViews.BookProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.ChapterProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.RecentView;
import dev.lectern.progress.reading.ReadingProgressViews.UpdateProgressRequest;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's reading progress: per chapter, per book, and what to resume. Declares the Progress tag. */
@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Progress", description = "Reading progress, spaced-repetition reviews and mastery of the caller")
public class ReadingProgressResource {

    private final ReadingProgressService progress;
    private final CurrentCaller caller;

    public ReadingProgressResource(ReadingProgressService progress, CurrentCaller caller) {
        this.progress = progress;
        this.caller = caller;
    }

    @PUT
    @Path("progress/chapters/{chapterId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "putReadingProgress",
            summary = "Record reading progress in a chapter",
            description =
                    "Idempotent and safe under retries and several devices: percent and completion never go back from a stale "
                            + "write (unless reset is true); timeSpentSeconds is added once per eventId. Answers the merged state.")
    @RequestBody(
            content = @Content(examples = @ExampleObject(name = "progress", value = ProgressExamples.UPDATE_PROGRESS)))
    @APIResponse(
            responseCode = "200",
            description = "The merged progress",
            content =
                    @Content(
                            schema = @Schema(implementation = ChapterProgressView.class),
                            examples = @ExampleObject(name = "progress", value = ProgressExamples.CHAPTER_PROGRESS)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "404", description = "No such chapter")
    public Uni<ChapterProgressView> updateProgress(
            @PathParam("chapterId") UUID chapterId, @Valid @NotNull UpdateProgressRequest request) {
        return progress.update(
                caller.get().requireUser(), chapterId, request, caller.get().canSeeDrafts());
    }

    @GET
    @Path("progress/books/{book}")
    @Operation(
            operationId = "getBookProgress",
            summary = "Progress through a book",
            description = "Each chapter's status and the book's completion weighted by reading time, in one query")
    @APIResponse(
            responseCode = "200",
            description = "The book's progress",
            content = @Content(schema = @Schema(implementation = BookProgressView.class)))
    @APIResponse(responseCode = "404", description = "No such book")
    public Uni<BookProgressView> bookProgress(@PathParam("book") String book) {
        return progress.book(caller.get().requireUser(), book, caller.get().canSeeDrafts());
    }

    @GET
    @Path("progress/recent")
    @Operation(
            operationId = "listRecentProgress",
            summary = "What to resume",
            description =
                    "The caller's most recently read chapters, with positions; unfinished ones unless includeCompleted")
    @APIResponse(responseCode = "200", description = "Most recent first")
    public Uni<Page<RecentView>> recent(
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(50) int limit,
            @QueryParam("includeCompleted") @DefaultValue("false") boolean includeCompleted) {
        return progress.recent(
                        caller.get().requireUser(),
                        limit,
                        includeCompleted,
                        caller.get().canSeeDrafts())
                .map(items -> new Page<>(items, null));
    }
}
