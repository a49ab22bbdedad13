package dev.lectern.progress.review;

import dev.lectern.identity.Caller;
import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.review.ReviewFitService.FitJobView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What a learner does with their own review log: fit their FSRS weights to it (a background job), or take it away in
 * the FSRS optimizer's CSV format to fit with the reference tools.
 */
@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Progress")
public class ReviewLogResource {

    private final ReviewFitService fits;
    private final ReviewFitStore log;
    private final CurrentCaller caller;

    public ReviewLogResource(ReviewFitService fits, ReviewFitStore log, CurrentCaller caller) {
        this.fits = fits;
        this.log = log;
        this.caller = caller;
    }

    @GET
    @Path("reviews/export")
    @Produces(ReviewLogCsv.MEDIA_TYPE)
    @Operation(
            operationId = "exportReviewLog",
            summary = "The caller's review log in the FSRS optimizer's CSV format",
            description = "One line per review, oldest card first: card_id (the caller's cards numbered 1, 2, ... in "
                    + "creation order), review_time (milliseconds since 1970 UTC), review_rating (1 again to 4 easy), "
                    + "review_state (0 new, 1 learning, 2 review, 3 relearning: the card's state before the review), "
                    + "review_duration (milliseconds, empty when the client did not say). Fit it with the reference "
                    + "tools (the fsrs-optimizer package), or with POST /api/v1/me/review-settings/fit")
    @APIResponse(
            responseCode = "200",
            description = "The CSV, as an attachment",
            content =
                    @Content(
                            mediaType = ReviewLogCsv.MEDIA_TYPE,
                            schema =
                                    @Schema(
                                            type =
                                                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType
                                                            .STRING),
                            example = ReviewLogCsv.EXAMPLE))
    @APIResponse(responseCode = "406", description = "The client does not accept text/csv")
    public Uni<Response> exportLog() {
        return log.csv(caller.get().requireUser())
                .map(csv -> Response.ok(csv, ReviewLogCsv.MEDIA_TYPE)
                        .header("Content-Disposition", "attachment; filename=\"lectern-reviews.csv\"")
                        .build());
    }

    @POST
    @Path("review-settings/fit")
    @Operation(
            operationId = "fitReviewWeights",
            summary = "Fit the caller's FSRS weights to their review log",
            description = "Starts a background job (202, Location: the job) that fits the 21 FSRS-6 weights to the "
                    + "caller's reviews by minimising the log-loss of predicted recall, as the FSRS reference "
                    + "optimizer does, and makes them the caller's own. With fewer reviews than "
                    + "lectern.reviews.fit-minimum-reviews (1,000) the job succeeds with outcome kept")
    @APIResponse(
            responseCode = "202",
            description = "Queued; follow it at the Location",
            content = @Content(schema = @Schema(implementation = FitJobView.class)))
    @APIResponse(responseCode = "409", description = "A fit of the caller's weights is still running")
    public Uni<Response> fit() {
        UUID me = caller.get().requireUser();
        return fits.queue(me)
                .invoke(job -> fits.start(job.id(), me))
                .map(job -> Response.accepted(job)
                        .location(URI.create(MeApi.PATH + "/review-settings/fit/" + job.id()))
                        .build());
    }

    @GET
    @Path("review-settings/fit/{id}")
    @Operation(operationId = "getReviewWeightsFit", summary = "A fit of the caller's weights: progress and outcome")
    @APIResponse(
            responseCode = "200",
            description = "The job; when succeeded, log-loss and RMSE(bins) before and after",
            content = @Content(schema = @Schema(implementation = FitJobView.class)))
    @APIResponse(responseCode = "404", description = "No such fit of the caller's (an admin sees every learner's)")
    public Uni<FitJobView> job(@PathParam("id") UUID id) {
        Caller me = caller.get();
        return fits.find(id, me.admin() ? me.userId() : me.requireUser(), me.admin())
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no weight fit " + id));
    }
}
