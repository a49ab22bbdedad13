package dev.lectern.progress.reading;

import dev.lectern.identity.Caller;
import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Idempotency;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.reading.ReadingProgressViews.BookProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.ChapterProgressView;
import dev.lectern.progress.reading.ReadingProgressViews.RecentView;
import dev.lectern.progress.reading.ReadingProgressViews.UpdateProgressRequest;
import dev.lectern.progress.review.ReviewService;
import dev.lectern.progress.review.ReviewViews.CreateReviewItemRequest;
import dev.lectern.progress.review.ReviewViews.MasteryReport;
import dev.lectern.progress.review.ReviewViews.ReviewItemView;
import dev.lectern.progress.review.ReviewViews.ReviewRequest;
import dev.lectern.progress.review.ReviewViews.ReviewSettingsView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Progress", description = "Reading progress, spaced-repetition reviews and mastery of the caller")
public class ReadingProgressResource {

    private final ReadingProgressService progress;
    private final ReviewService reviews;
    private final CurrentCaller caller;
    private final Idempotency idempotency;

    public ReadingProgressResource(
            ReadingProgressService progress, ReviewService reviews, CurrentCaller caller, Idempotency idempotency) {
        this.progress = progress;
        this.reviews = reviews;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @PUT
    @Path("progress/chapters/{chapterId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Record reading progress in a chapter",
            description =
                    "Idempotent and safe under retries and several devices: percent and completion never go back from a stale "
                            + "write (unless reset is true); timeSpentSeconds is added once per eventId. Answers the merged state.")
    @APIResponse(
            responseCode = "200",
            description = "The merged progress",
            content = @Content(schema = @Schema(implementation = ChapterProgressView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "404", description = "No such chapter")
    public Uni<ChapterProgressView> updateProgress(
            @PathParam("chapterId") UUID chapterId, @Valid @NotNull UpdateProgressRequest request) {
        return progress.update(caller.get().requireUser(), chapterId, request);
    }

    @GET
    @Path("progress/books/{book}")
    @Operation(
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
            summary = "What to resume",
            description =
                    "The caller's most recently read chapters, with positions; unfinished ones unless includeCompleted")
    @APIResponse(responseCode = "200", description = "Most recent first")
    public Uni<Page<RecentView>> recent(
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(50) int limit,
            @QueryParam("includeCompleted") @DefaultValue("false") boolean includeCompleted) {
        return progress.recent(caller.get().requireUser(), limit, includeCompleted)
                .map(items -> new Page<>(items, null));
    }

    @POST
    @Path("review-items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create a review item",
            description = "Linked to an outcome, a chapter or section, or with its own front/back")
    @APIResponse(
            responseCode = "201",
            description = "Created, due now",
            content = @Content(schema = @Schema(implementation = ReviewItemView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, unknown outcome or chapter")
    public Uni<Response> createItem(
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @Valid @NotNull CreateReviewItemRequest request) {
        UUID me = caller.get().requireUser();
        return idempotency.once(
                idempotencyKey,
                me,
                "POST /api/v1/me/review-items",
                request,
                () -> reviews.create(me, request)
                        .map(item -> Response.created(URI.create("/api/v1/me/review-items/" + item.id()))
                                .entity(item)
                                .build()));
    }

    @GET
    @Path("review-items/{id}")
    @Operation(summary = "A review item with its FSRS state")
    @APIResponse(
            responseCode = "200",
            description = "The item",
            content = @Content(schema = @Schema(implementation = ReviewItemView.class)))
    @APIResponse(responseCode = "404", description = "No such item of the caller's")
    public Uni<ReviewItemView> getItem(@PathParam("id") UUID id) {
        return reviews.get(id, caller.get().userId(), caller.get().admin());
    }

    @POST
    @Path("review-items/{id}/reviews")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Review an item",
            description =
                    "Schedules the next review with FSRS-6 and appends to the review log. "
                            + "reviewedAt lets offline clients sync later; it may not be in the future or before the item's last review.")
    @APIResponse(
            responseCode = "200",
            description = "The updated item",
            content = @Content(schema = @Schema(implementation = ReviewItemView.class)))
    @APIResponse(responseCode = "400", description = "Invalid rating, or reviewedAt in the future")
    @APIResponse(responseCode = "404", description = "No such item of the caller's")
    @APIResponse(responseCode = "409", description = "reviewedAt before the last review, or a concurrent review")
    public Uni<Response> review(
            @PathParam("id") UUID id,
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @Valid @NotNull ReviewRequest request) {
        Caller me = caller.get();
        return idempotency.once(
                idempotencyKey,
                me.userId(),
                "POST /api/v1/me/review-items/" + id + "/reviews",
                request,
                () -> reviews.review(id, me.userId(), me.admin(), request)
                        .map(item -> Response.ok(item).build()));
    }

    @GET
    @Path("reviews/due")
    @Operation(
            summary = "Items due for review",
            description = "Ordered by due time, keyset-paginated; served by the (user, due) index")
    @APIResponse(responseCode = "200", description = "A page of due items")
    public Uni<Page<ReviewItemView>> due(
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @Parameter(description = "Due at or before this instant (default now)") @QueryParam("before")
                    Instant before,
            @QueryParam("cursor") String cursor) {
        return reviews.due(caller.get().requireUser(), before, limit, cursor);
    }

    @GET
    @Path("mastery")
    @Operation(
            summary = "Outcome mastery",
            description =
                    "not_started, developing (R < 0.70), consolidating (0.70 <= R < 0.90, or any item's "
                            + "stability < 21 days) or secure, from the mean current retrievability R of the caller's items per outcome; one query")
    @APIResponse(
            responseCode = "200",
            description = "Mastery per outcome",
            content = @Content(schema = @Schema(implementation = MasteryReport.class)))
    @APIResponse(responseCode = "404", description = "No such framework")
    public Uni<MasteryReport> mastery(
            @QueryParam("framework") @NotBlank String framework, @QueryParam("subject") String subject) {
        return reviews.mastery(caller.get().requireUser(), framework, subject);
    }

    @GET
    @Path("review-settings")
    @Operation(summary = "The caller's FSRS settings")
    @APIResponse(
            responseCode = "200",
            description = "Desired retention and maximum interval",
            content = @Content(schema = @Schema(implementation = ReviewSettingsView.class)))
    public Uni<ReviewSettingsView> settings() {
        return reviews.settings(caller.get().requireUser());
    }

    @PUT
    @Path("review-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Change the caller's FSRS settings",
            description = "Desired retention 0.70-0.99, maximum interval 1-36500 days")
    @APIResponse(
            responseCode = "200",
            description = "The new settings",
            content = @Content(schema = @Schema(implementation = ReviewSettingsView.class)))
    @APIResponse(responseCode = "400", description = "Out of range")
    public Uni<ReviewSettingsView> updateSettings(@Valid @NotNull ReviewSettingsView request) {
        return reviews.updateSettings(caller.get().requireUser(), request);
    }
}
