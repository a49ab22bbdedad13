package dev.lectern.conversations;

import dev.lectern.conversations.ConversationViews.AppendMessageRequest;
import dev.lectern.conversations.ConversationViews.ConversationView;
import dev.lectern.conversations.ConversationViews.CreateConversationRequest;
import dev.lectern.conversations.ConversationViews.MessageView;
import dev.lectern.conversations.ConversationViews.UpdateConversationRequest;
import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Idempotency;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
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
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(MeApi.PATH + "/conversations")
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Conversations",
        description = "RAG chat history with cited sources; a service may write for a learner with X-On-Behalf-Of")
public class ConversationResource {

    private final ConversationService conversations;
    private final CurrentCaller caller;
    private final Idempotency idempotency;

    public ConversationResource(ConversationService conversations, CurrentCaller caller, Idempotency idempotency) {
        this.conversations = conversations;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createConversation",
            summary = "Start a conversation",
            description = "Optionally about a book")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "conversation",
                                            value = ConversationExamples.CREATE_CONVERSATION)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request or unknown book")
    public Uni<Response> create(
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @Valid @NotNull CreateConversationRequest request) {
        UUID me = caller.get().requireUser();
        return idempotency.once(
                idempotencyKey,
                me,
                "POST /api/v1/me/conversations",
                request,
                () -> conversations
                        .create(me, request, caller.get().canSeeDrafts())
                        .map(c -> Response.created(URI.create("/api/v1/me/conversations/" + c.id()))
                                .entity(c)
                                .build()));
    }

    @GET
    @Operation(operationId = "listConversations", summary = "The caller's conversations, newest first")
    @APIResponse(responseCode = "200", description = "A page of conversations")
    public Uni<Page<ConversationView>> list(
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit, @QueryParam("cursor") String cursor) {
        return conversations.list(caller.get().requireUser(), caller.get().canSeeDrafts(), limit, cursor);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getConversation", summary = "A conversation")
    @APIResponse(
            responseCode = "200",
            description = "The conversation",
            content = @Content(schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "404", description = "No such conversation of the caller's")
    public Uni<ConversationView> get(@PathParam("id") UUID id) {
        return conversations.get(
                id, caller.get().userId(), caller.get().admin(), caller.get().canSeeDrafts());
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateConversation", summary = "Rename a conversation")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(name = "rename", value = ConversationExamples.RENAME_CONVERSATION)))
    @APIResponse(
            responseCode = "200",
            description = "The conversation",
            content = @Content(schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "404", description = "No such conversation of the caller's")
    public Uni<ConversationView> rename(@PathParam("id") UUID id, @Valid @NotNull UpdateConversationRequest request) {
        return conversations.rename(
                id, caller.get().userId(), caller.get().admin(), caller.get().canSeeDrafts(), request.title());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteConversation", summary = "Delete a conversation and its messages")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller's")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return conversations
                .delete(id, caller.get().userId(), caller.get().admin())
                .map(v -> Response.noContent().build());
    }

    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "appendMessage",
            summary = "Append a message",
            description =
                    "Idempotent with clientMessageId: 201 when stored, 200 with the stored message when the id was seen before")
    @RequestBody(
            content = @Content(examples = @ExampleObject(name = "answer", value = ConversationExamples.APPEND_MESSAGE)))
    @APIResponse(
            responseCode = "201",
            description = "Appended",
            content =
                    @Content(
                            schema = @Schema(implementation = MessageView.class),
                            examples = @ExampleObject(name = "message", value = ConversationExamples.MESSAGE)))
    @APIResponse(
            responseCode = "200",
            description = "Already appended",
            content =
                    @Content(
                            schema = @Schema(implementation = MessageView.class),
                            examples = @ExampleObject(name = "message", value = ConversationExamples.MESSAGE)))
    @APIResponse(responseCode = "400", description = "Invalid message")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller's")
    public Uni<Response> append(@PathParam("id") UUID id, @Valid @NotNull AppendMessageRequest request) {
        return conversations
                .append(
                        id,
                        caller.get().userId(),
                        caller.get().admin(),
                        caller.get().canSeeDrafts(),
                        request)
                .map(a -> Response.status(a.created() ? 201 : 200)
                        .entity(a.message())
                        .build());
    }

    @GET
    @Path("{id}/messages")
    @Operation(
            operationId = "listMessages",
            summary = "A conversation's messages, oldest first",
            description = "Keyset-paginated for long histories")
    @APIResponse(responseCode = "200", description = "A page of messages")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller's")
    public Uni<Page<MessageView>> messages(
            @PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return conversations.messages(id, caller.get().userId(), caller.get().admin(), limit, cursor);
    }
}
