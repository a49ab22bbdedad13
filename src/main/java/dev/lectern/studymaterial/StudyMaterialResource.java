package dev.lectern.studymaterial;

import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Idempotency;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.studymaterial.StudyMaterialViews.CreateGeneratedRequest;
import dev.lectern.studymaterial.StudyMaterialViews.GeneratedView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Generated", description = "AI-generated study material and personalised chapters of the caller")
public class StudyMaterialResource {

    private final StudyMaterialService generated;
    private final CurrentCaller caller;
    private final Idempotency idempotency;

    public StudyMaterialResource(StudyMaterialService generated, CurrentCaller caller, Idempotency idempotency) {
        this.generated = generated;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Path("generated")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createGenerated",
            summary = "Store generated study material",
            description = "The body is validated per content type; word count and reading time are computed")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "flashcards",
                                            value = StudyMaterialExamples.CREATE_FLASHCARDS)))
    @APIResponse(
            responseCode = "201",
            description = "Stored",
            content = @Content(schema = @Schema(implementation = GeneratedView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request or body")
    public Uni<Response> create(
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @Valid @NotNull CreateGeneratedRequest request) {
        UUID me = caller.get().requireUser();
        return idempotency.once(
                idempotencyKey,
                me,
                "POST /api/v1/me/generated",
                request,
                () -> generated
                        .create(me, request, caller.get().canSeeDrafts())
                        .map(g -> Response.created(URI.create("/api/v1/me/generated/" + g.id()))
                                .entity(g)
                                .build()));
    }

    @GET
    @Path("generated")
    @Operation(
            operationId = "listGenerated",
            summary = "The caller's generated material, newest first",
            description = "Filter by type, audience, tag, chapter, and full text on the topic (q)")
    @APIResponse(responseCode = "200", description = "A page of material")
    public Uni<Page<GeneratedView>> list(
            @QueryParam("type") String type,
            @QueryParam("audience") String audience,
            @QueryParam("tag") String tag,
            @QueryParam("chapter") UUID chapter,
            @Parameter(description = "Words to find in the topic") @QueryParam("q") String q,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        if (type != null && !type.matches(StudyMaterialViews.TYPES)) {
            throw ProblemException.invalid("type", StudyMaterialViews.TYPES_MESSAGE);
        }
        if (audience != null && !audience.matches(StudyMaterialViews.AUDIENCES)) {
            throw ProblemException.invalid("audience", StudyMaterialViews.AUDIENCES_MESSAGE);
        }
        return generated.list(
                caller.get().requireUser(),
                new StudyMaterialService.Filter(type, audience, tag, chapter, q),
                limit,
                cursor);
    }

    @GET
    @Path("generated/{id}")
    @Operation(operationId = "getGenerated", summary = "A piece of generated material")
    @APIResponse(
            responseCode = "200",
            description = "The material",
            content = @Content(schema = @Schema(implementation = GeneratedView.class)))
    @APIResponse(responseCode = "404", description = "Not the caller's")
    public Uni<GeneratedView> get(@PathParam("id") UUID id) {
        return generated.get(id, caller.get().userId(), caller.get().admin());
    }

    @DELETE
    @Path("generated/{id}")
    @Operation(operationId = "deleteGenerated", summary = "Delete a piece of generated material")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Not the caller's")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return generated
                .delete(id, caller.get().userId(), caller.get().admin())
                .map(v -> Response.noContent().build());
    }

    @POST
    @Path("generated/{id}/review-items")
    @Operation(
            operationId = "createReviewItemsFromFlashcards",
            summary = "Turn a flashcard set into review items",
            description = "One item per card, due now, in one call. "
                    + "Idempotent: repeating it creates no second item for a card and answers the same ids")
    @APIResponse(responseCode = "201", description = "Items created: every card's review item id")
    @APIResponse(responseCode = "200", description = "Every card already had its item: their ids, nothing created")
    @APIResponse(responseCode = "404", description = "Not the caller's")
    @APIResponse(responseCode = "409", description = "Not a flashcard set")
    public Uni<Response> toReviewItems(@PathParam("id") UUID id) {
        return generated
                .toReviewItems(
                        id,
                        caller.get().userId(),
                        caller.get().admin(),
                        caller.get().canSeeDrafts())
                .map(made -> Response.status(made.created() > 0 ? 201 : 200)
                        .entity(Map.of("reviewItemIds", made.ids()))
                        .build());
    }
}
