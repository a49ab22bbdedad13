package dev.lectern.identity;

import dev.lectern.identity.IdentityViews.ApiKeyView;
import dev.lectern.identity.IdentityViews.CreateApiKeyRequest;
import dev.lectern.identity.IdentityViews.CreatedApiKeyView;
import dev.lectern.identity.IdentityViews.MeView;
import dev.lectern.identity.IdentityViews.UpdateMeRequest;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Me", description = "The caller's own account, profile, API keys, export and erasure")
public class MeResource {

    private final UserService users;
    private final ApiKeyService keys;
    private final CurrentCaller caller;
    private final Delegation delegation;

    public MeResource(UserService users, ApiKeyService keys, CurrentCaller caller, Delegation delegation) {
        this.users = users;
        this.keys = keys;
        this.caller = caller;
        this.delegation = delegation;
    }

    @GET
    @Operation(operationId = "getMe", summary = "The caller, with their profile")
    @APIResponse(
            responseCode = "200",
            description = "The caller",
            content =
                    @Content(
                            schema = @Schema(implementation = MeView.class),
                            examples = @ExampleObject(name = "me", value = IdentityExamples.ME)))
    public Uni<MeView> me() {
        return users.me(caller.get().requireUser());
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateMe", summary = "Change the caller's display name, email or profile")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "profile", value = IdentityExamples.UPDATE_ME)))
    @APIResponse(
            responseCode = "200",
            description = "The updated caller",
            content =
                    @Content(
                            schema = @Schema(implementation = MeView.class),
                            examples = @ExampleObject(name = "me", value = IdentityExamples.ME)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "409", description = "Email already used by another user")
    public Uni<MeView> update(@Valid @NotNull UpdateMeRequest request) {
        return users.update(caller.get().requireUser(), request);
    }

    @DELETE
    @Operation(
            operationId = "eraseMe",
            summary = "Erase the caller and everything they own",
            description = "GDPR erasure: one transaction, irreversible")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(
            responseCode = "403",
            description =
                    "A service acting for the user (X-On-Behalf-Of), unless lectern.auth.delegation.erase allows it")
    public Uni<Response> erase() {
        Caller me = caller.get();
        delegation.checkMayErase(me);
        return users.erase(me.requireUser()).map(v -> Response.noContent().build());
    }

    @GET
    @Path("export")
    @Operation(
            operationId = "exportMe",
            summary = "Export everything the caller owns",
            description = "Profile, API key metadata and every feature's data, as one JSON document")
    @APIResponse(responseCode = "200", description = "The export document")
    public Uni<Response> export() {
        UUID userId = caller.get().requireUser();
        return users.export(userId, caller.get().canSeeDrafts())
                .map(doc -> Response.ok(doc)
                        .header("Content-Disposition", "attachment; filename=\"lectern-export.json\"")
                        .build());
    }

    @GET
    @Path("api-keys")
    @Operation(operationId = "listMyApiKeys", summary = "The caller's API keys (metadata only)")
    @APIResponse(responseCode = "200", description = "All of the caller's keys, oldest first")
    public Uni<Page<ApiKeyView>> listKeys() {
        return keys.list(caller.get().requireUser()).map(list -> new Page<>(list, null));
    }

    @POST
    @Path("api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createMyApiKey",
            summary = "Create an API key",
            description = "The response holds the plaintext key; it is shown once and never stored. The key carries at "
                    + "most the roles of the credential creating it (by default exactly those) and, when that is an "
                    + "expiring key, expires no later than it (by default at the same time)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "key", value = IdentityExamples.CREATE_API_KEY)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            schema = @Schema(implementation = CreatedApiKeyView.class),
                            examples = @ExampleObject(name = "key", value = IdentityExamples.CREATED_API_KEY)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid request, roles the creating credential does not have, "
                    + "or an expiry later than the creating key's")
    @APIResponse(
            responseCode = "403",
            description = "A service acting for the user (X-On-Behalf-Of), unless lectern.auth.delegation.create-keys "
                    + "allows it")
    public Uni<Response> createKey(@Valid @NotNull CreateApiKeyRequest request) {
        return keys.createOwn(caller.get(), request)
                .map(k -> Response.created(URI.create("/api/v1/me/api-keys/" + k.id()))
                        .entity(k)
                        .build());
    }

    @GET
    @Path("api-keys/{id}")
    @Operation(operationId = "getMyApiKey", summary = "One of the caller's API keys")
    @APIResponse(
            responseCode = "200",
            description = "The key's metadata",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "No such key of the caller's")
    public Uni<ApiKeyView> getKey(@PathParam("id") UUID id) {
        return keys.get(id, caller.get().userId(), caller.get().admin());
    }

    @DELETE
    @Path("api-keys/{id}")
    @Operation(operationId = "revokeMyApiKey", summary = "Revoke one of the caller's API keys")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such key of the caller's")
    public Uni<Response> revokeKey(@PathParam("id") UUID id) {
        return keys.revoke(id, caller.get().userId(), caller.get().admin())
                .map(v -> Response.noContent().build());
    }
}
