package dev.lectern.catalogue.variants;

import dev.lectern.catalogue.CatalogueExamples;
import dev.lectern.catalogue.variants.VariantService.PersonalizedView;
import dev.lectern.catalogue.variants.VariantService.PutPersonalizedRequest;
import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's personalised versions of chapters, kept with the chapter's content hash and an expiry. */
@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Generated")
public class PersonalizedChapterResource {

    private final VariantService variants;
    private final CurrentCaller caller;

    public PersonalizedChapterResource(VariantService variants, CurrentCaller caller) {
        this.variants = variants;
        this.caller = caller;
    }

    @PUT
    @Path("chapters/{chapterId}/personalized")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "putPersonalizedChapter",
            summary = "Store the caller's personalised version of a chapter",
            description = "Kept with the chapter's content hash and an expiry")
    @RequestBody(
            content =
                    @Content(examples = @ExampleObject(name = "personalised", value = CatalogueExamples.PERSONALIZED)))
    @APIResponse(
            responseCode = "200",
            description = "Stored",
            content = @Content(schema = @Schema(implementation = PersonalizedView.class)))
    @APIResponse(responseCode = "404", description = "No such chapter")
    @APIResponse(responseCode = "409", description = "Generated from an older version of the chapter")
    public Uni<PersonalizedView> putPersonalized(
            @PathParam("chapterId") UUID chapterId, @Valid @NotNull PutPersonalizedRequest request) {
        return variants.putPersonalized(
                caller.get().requireUser(), chapterId, request, caller.get().canSeeDrafts());
    }

    @GET
    @Path("chapters/{chapterId}/personalized")
    @Operation(
            operationId = "getPersonalizedChapter",
            summary = "The caller's personalised version of a chapter",
            description =
                    "Only while fresh and the chapter unchanged: otherwise 404 with problem type variant-expired or variant-stale")
    @APIResponse(
            responseCode = "200",
            description = "The variant",
            content = @Content(schema = @Schema(implementation = PersonalizedView.class)))
    @APIResponse(responseCode = "404", description = "None, expired or stale (see the problem type)")
    public Uni<PersonalizedView> getPersonalized(@PathParam("chapterId") UUID chapterId) {
        return variants.getPersonalized(
                caller.get().requireUser(), chapterId, caller.get().canSeeDrafts());
    }
}
