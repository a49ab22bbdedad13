package dev.lectern.identity;

import dev.lectern.identity.IdentityViews.CreateApiKeyRequest;
import dev.lectern.identity.IdentityViews.CreateUserRequest;
import dev.lectern.identity.IdentityViews.CreatedApiKeyView;
import dev.lectern.identity.IdentityViews.UserView;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/admin/users")
@RetryOnConnectionLoss
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "User management (admin role)")
@SecurityRequirement(name = "bearer", scopes = Roles.ADMIN)
@SecurityRequirement(name = "apiKey", scopes = Roles.ADMIN)
@APIResponse(responseCode = "401", description = "No or invalid credentials")
@APIResponse(responseCode = "403", description = "Not an admin")
public class AdminUserResource {

    private final UserService users;
    private final ApiKeyService keys;

    public AdminUserResource(UserService users, ApiKeyService keys) {
        this.users = users;
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createUser",
            summary = "Create a user",
            description = "For services and pre-provisioned learners; JWT users are also created on first request")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "learner", value = IdentityExamples.CREATE_USER)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "409", description = "Email or external subject already used")
    public Uni<Response> create(@Valid @NotNull CreateUserRequest request) {
        return users.create(request)
                .map(u -> Response.created(URI.create("/api/v1/admin/users/" + u.id()))
                        .entity(u)
                        .build());
    }

    @GET
    @Operation(
            operationId = "listUsers",
            summary = "List users",
            description = "In id (creation) order, keyset-paginated. With externalSubject, the page holds the one user "
                    + "the auth server knows by that subject, or none")
    @APIResponse(responseCode = "200", description = "A page of users")
    @APIResponse(responseCode = "400", description = "A bad limit or cursor, or a cursor with externalSubject")
    public Uni<Page<UserView>> list(
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor,
            @Parameter(description = "The auth server's `sub` for the user (the platform's own user id)")
                    @QueryParam("externalSubject")
                    @Size(min = 1, max = 255)
                    String externalSubject) {
        if (externalSubject == null) {
            return users.list(limit, cursor);
        }
        if (cursor != null) {
            throw ProblemException.invalid("cursor", "cannot be combined with externalSubject (one user at most)");
        }
        return users.findBySubject(externalSubject);
    }

    @DELETE
    @Operation(
            operationId = "eraseUserByExternalSubject",
            summary = "Erase the user the auth server knows by a subject, and everything they own",
            description =
                    "Retirement by the platform's own user id: the same erasure as DELETE /api/v1/admin/users/{id}")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "400", description = "externalSubject missing or longer than 255 characters")
    @APIResponse(responseCode = "404", description = "No user has this external subject")
    public Uni<Response> eraseBySubject(
            @Parameter(description = "The auth server's `sub` for the user", required = true)
                    @QueryParam("externalSubject")
                    @Size(min = 1, max = 255)
                    String externalSubject) {
        if (externalSubject == null) {
            throw ProblemException.invalid(
                    "externalSubject", "is required: name the one user to erase (the collection is never erased)");
        }
        return users.eraseBySubject(externalSubject)
                .map(v -> Response.noContent().build());
    }

    @POST
    @Path("{id}/api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createUserApiKey",
            summary = "Create an API key for a user",
            description = "The plaintext key is in the response only")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "key", value = IdentityExamples.CREATE_API_KEY)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            schema = @Schema(implementation = CreatedApiKeyView.class),
                            examples = @ExampleObject(name = "key", value = IdentityExamples.CREATED_API_KEY)))
    @APIResponse(responseCode = "404", description = "No such user")
    public Uni<Response> createKey(@PathParam("id") UUID id, @Valid @NotNull CreateApiKeyRequest request) {
        return keys.create(id, request).map(k -> Response.status(201).entity(k).build());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "eraseUser", summary = "Erase a user and everything they own")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "404", description = "No such user")
    public Uni<Response> erase(@PathParam("id") UUID id) {
        return users.erase(id).map(v -> Response.noContent().build());
    }
}
