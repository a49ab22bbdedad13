package dev.lectern.catalogue.curriculum;

import dev.lectern.catalogue.CatalogueExamples;
import dev.lectern.catalogue.content.ContentAccess;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateFrameworkRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateOutcomeRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateSubjectRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.FrameworkView;
import dev.lectern.catalogue.curriculum.FrameworkViews.OutcomeView;
import dev.lectern.catalogue.curriculum.FrameworkViews.SubjectView;
import dev.lectern.identity.Roles;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/frameworks")
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Curriculum", description = "Curriculum frameworks, their subjects and learning outcomes")
public class FrameworkResource {

    private final FrameworkService frameworks;
    private final ContentAccess access;

    public FrameworkResource(FrameworkService frameworks, ContentAccess access) {
        this.frameworks = frameworks;
        this.access = access;
    }

    @POST
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createFramework", summary = "Create a curriculum framework")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "framework", value = CatalogueExamples.FRAMEWORK)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = FrameworkView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "409", description = "Code already taken")
    public Uni<Response> create(@Valid @NotNull CreateFrameworkRequest request) {
        return frameworks
                .create(request)
                .map(f -> Response.created(URI.create("/api/v1/frameworks/" + f.code()))
                        .entity(f)
                        .build());
    }

    @GET
    @PermitAll
    @Operation(
            operationId = "listFrameworks",
            summary = "List frameworks",
            description = "In code order, keyset-paginated")
    @APIResponse(responseCode = "200", description = "A page of frameworks")
    public Uni<Page<FrameworkView>> list(
            @Parameter(description = "Page size (1-100)") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            @Parameter(description = "Cursor from the previous page's `next`") @QueryParam("cursor") String cursor) {
        return access.reader().chain(drafts -> frameworks.list(limit, cursor));
    }

    @GET
    @PermitAll
    @Path("{code}")
    @Operation(operationId = "getFramework", summary = "Get a framework")
    @APIResponse(
            responseCode = "200",
            description = "The framework",
            content = @Content(schema = @Schema(implementation = FrameworkView.class)))
    @APIResponse(responseCode = "404", description = "No such framework")
    public Uni<FrameworkView> get(@PathParam("code") String code) {
        return access.reader().chain(drafts -> frameworks.get(code));
    }

    @POST
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{code}/subjects")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSubject", summary = "Add a subject to a framework")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "subject", value = CatalogueExamples.SUBJECT)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = SubjectView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "404", description = "No such framework")
    @APIResponse(responseCode = "409", description = "Subject code already taken in this framework")
    public Uni<Response> createSubject(@PathParam("code") String code, @Valid @NotNull CreateSubjectRequest request) {
        return frameworks
                .createSubject(code, request)
                .map(s -> Response.created(URI.create("/api/v1/frameworks/" + code + "/subjects"))
                        .entity(s)
                        .build());
    }

    @GET
    @PermitAll
    @Path("{code}/subjects")
    @Operation(operationId = "listSubjects", summary = "List a framework's subjects")
    @APIResponse(responseCode = "200", description = "A page of subjects")
    @APIResponse(responseCode = "404", description = "No such framework")
    public Uni<Page<SubjectView>> listSubjects(
            @PathParam("code") String code,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return access.reader().chain(drafts -> frameworks.listSubjects(code, limit, cursor));
    }

    @POST
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{code}/outcomes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createOutcome",
            summary = "Add a learning outcome to a framework",
            description = "Optionally under one of its subjects")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "outcome", value = CatalogueExamples.OUTCOME)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = OutcomeView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request or unknown subject")
    @APIResponse(responseCode = "404", description = "No such framework")
    @APIResponse(responseCode = "409", description = "Outcome code already taken in this framework")
    public Uni<Response> createOutcome(@PathParam("code") String code, @Valid @NotNull CreateOutcomeRequest request) {
        return frameworks
                .createOutcome(code, request)
                .map(o -> Response.created(URI.create("/api/v1/frameworks/" + code + "/outcomes"))
                        .entity(o)
                        .build());
    }

    @GET
    @PermitAll
    @Path("{code}/outcomes")
    @Operation(
            operationId = "listOutcomes",
            summary = "List a framework's outcomes",
            description = "In code order; filter by subject code")
    @APIResponse(responseCode = "200", description = "A page of outcomes")
    @APIResponse(responseCode = "400", description = "Unknown subject")
    @APIResponse(responseCode = "404", description = "No such framework")
    public Uni<Page<OutcomeView>> listOutcomes(
            @PathParam("code") String code,
            @Parameter(description = "Subject code") @QueryParam("subject") String subject,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return access.reader().chain(drafts -> frameworks.listOutcomes(code, subject, limit, cursor));
    }
}
