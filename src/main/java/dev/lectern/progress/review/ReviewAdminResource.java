package dev.lectern.progress.review;

import dev.lectern.identity.Roles;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.ProgressExamples;
import dev.lectern.progress.review.ReviewViews.ReviewDefaultsView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The platform's default FSRS-6 weights, for every learner without weights of their own (admin role). */
@Path("/api/v1/admin/review-defaults")
@RetryOnConnectionLoss
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer", scopes = Roles.ADMIN)
@SecurityRequirement(name = "apiKey", scopes = Roles.ADMIN)
@APIResponse(responseCode = "401", description = "No or invalid credentials")
@APIResponse(responseCode = "403", description = "Not an admin")
public class ReviewAdminResource {

    private final ReviewSettingsService settings;

    public ReviewAdminResource(ReviewSettingsService settings) {
        this.settings = settings;
    }

    @GET
    @Operation(operationId = "getReviewDefaults", summary = "The platform's default FSRS weights")
    @APIResponse(
            responseCode = "200",
            description = "The weights learners without their own are scheduled with",
            content = @Content(schema = @Schema(implementation = ReviewDefaultsView.class)))
    public Uni<ReviewDefaultsView> get() {
        return settings.platformDefaults();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "putReviewDefaults",
            summary = "Set the platform's default FSRS weights",
            description = "21 weights w0..w20, each within the FSRS reference bounds, or [] for the FSRS-6 defaults. "
                    + "Learners with weights of their own (set or fitted) keep them")
    @RequestBody(
            content = @Content(examples = @ExampleObject(name = "weights", value = ProgressExamples.REVIEW_DEFAULTS)))
    @APIResponse(
            responseCode = "200",
            description = "The weights now in effect",
            content = @Content(schema = @Schema(implementation = ReviewDefaultsView.class)))
    @APIResponse(responseCode = "400", description = "Not 21 numbers, or one out of its bounds")
    public Uni<ReviewDefaultsView> put(@Valid @NotNull ReviewDefaultsView request) {
        return settings.updatePlatformDefaults(request);
    }
}
