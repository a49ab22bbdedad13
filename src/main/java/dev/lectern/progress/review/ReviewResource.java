package dev.lectern.progress.review;

import dev.lectern.identity.Caller;
import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Idempotency;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.ProgressExamples;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's spaced repetition: review items and their reviews, the due queue, outcome mastery and FSRS settings.
 * Shares the OpenAPI tag Progress, whose description {@code ReadingProgressResource} declares.
 */
@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Progress")
public class ReviewResource {

    private final ReviewItemService items;
    private final DueQueueService dueQueue;
    private final MasteryService mastery;
    private final ReviewSettingsService settings;
    private final CurrentCaller caller;
    private final Idempotency idempotency;

    public ReviewResource(
            ReviewItemService items,
            DueQueueService dueQueue,
            MasteryService mastery,
            ReviewSettingsService settings,
            CurrentCaller caller,
            Idempotency idempotency) {
        this.items = items;
        this.dueQueue = dueQueue;
        this.mastery = mastery;
        this.settings = settings;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Path("review-items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createReviewItem",
            summary = "Create a review item",
            description = "Linked to an outcome, a chapter or section, or with its own front/back")
    @RequestBody(
            content = @Content(examples = @ExampleObject(name = "card", value = ProgressExamples.CREATE_REVIEW_ITEM)))
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
                () -> items.create(me, request, caller.get().canSeeDrafts())
                        .map(item -> Response.created(URI.create("/api/v1/me/review-items/" + item.id()))
                                .entity(item)
                                .build()));
    }

    @GET
    @Path("review-items/{id}")
    @Operation(operationId = "getReviewItem", summary = "A review item with its FSRS state")
    @APIResponse(
            responseCode = "200",
            description = "The item",
            content =
                    @Content(
                            schema = @Schema(implementation = ReviewItemView.class),
                            examples = @ExampleObject(name = "item", value = ProgressExamples.REVIEW_ITEM)))
    @APIResponse(responseCode = "404", description = "No such item of the caller's")
    public Uni<ReviewItemView> getItem(@PathParam("id") UUID id) {
        return items.get(id, caller.get().userId(), caller.get().admin());
    }

    @POST
    @Path("review-items/{id}/reviews")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "recordReview",
            summary = "Review an item",
            description =
                    "Schedules the next review with FSRS-6 and appends to the review log. "
                            + "reviewedAt lets offline clients sync later; it may not be in the future or before the item's last review.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "review", value = ProgressExamples.REVIEW)))
    @APIResponse(
            responseCode = "200",
            description = "The updated item",
            content =
                    @Content(
                            schema = @Schema(implementation = ReviewItemView.class),
                            examples = @ExampleObject(name = "item", value = ProgressExamples.REVIEW_ITEM)))
    @APIResponse(responseCode = "400", description = "Invalid rating, or reviewedAt in the future")
    @APIResponse(responseCode = "404", description = "No such item of the caller's")
    @APIResponse(responseCode = "409", description = "reviewedAt before the last review, or a concurrent review")
    public Uni<Response> review(
            @PathParam("id") UUID id,
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @Valid @NotNull ReviewRequest request) {
        Caller me = caller.get();
        return idempotency
                .keptFor(idempotencyKey, me.userId(), me.admin(), () -> items.owner(id))
                .chain(keptFor -> idempotency.once(
                        idempotencyKey,
                        keptFor,
                        "POST /api/v1/me/review-items/" + id + "/reviews",
                        request,
                        () -> items.review(id, me.userId(), me.admin(), request)
                                .map(item -> Response.ok(item).build())));
    }

    @GET
    @Path("reviews/due")
    @Operation(
            operationId = "listDueReviews",
            summary = "Items due for review",
            description = "Ordered by due time, keyset-paginated; served by the (user, due) index")
    @APIResponse(responseCode = "200", description = "A page of due items")
    public Uni<Page<ReviewItemView>> due(
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @Parameter(description = "Due at or before this instant (default now)") @QueryParam("before")
                    Instant before,
            @QueryParam("cursor") String cursor) {
        return dueQueue.due(caller.get().requireUser(), before, limit, cursor);
    }

    @GET
    @Path("mastery")
    @Operation(
            operationId = "getMastery",
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
        return mastery.mastery(caller.get().requireUser(), framework, subject);
    }

    @GET
    @Path("review-settings")
    @Operation(operationId = "getReviewSettings", summary = "The caller's FSRS settings")
    @APIResponse(
            responseCode = "200",
            description = "Desired retention, maximum interval and the weights in effect, with their source",
            content = @Content(schema = @Schema(implementation = ReviewSettingsView.class)))
    public Uni<ReviewSettingsView> settings() {
        return settings.settings(caller.get().requireUser());
    }

    @PUT
    @Path("review-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "putReviewSettings",
            summary = "Change the caller's FSRS settings",
            description = "Desired retention 0.70-0.99, maximum interval 1-36500 days; weights: 21 numbers within the "
                    + "FSRS reference bounds become the caller's own, [] goes back to the platform's, none keeps them")
    @RequestBody(
            content = @Content(examples = @ExampleObject(name = "settings", value = ProgressExamples.REVIEW_SETTINGS)))
    @APIResponse(
            responseCode = "200",
            description = "The new settings",
            content = @Content(schema = @Schema(implementation = ReviewSettingsView.class)))
    @APIResponse(responseCode = "400", description = "Out of range")
    public Uni<ReviewSettingsView> updateSettings(@Valid @NotNull ReviewSettingsView request) {
        return settings.updateSettings(caller.get().requireUser(), request);
    }
}
