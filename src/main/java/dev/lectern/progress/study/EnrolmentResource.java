package dev.lectern.progress.study;

import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.study.EnrolmentViews.EnrolmentView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(MeApi.PATH + "/enrolments")
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Progress")
public class EnrolmentResource {

    private final EnrolmentService enrolments;
    private final CurrentCaller caller;

    public EnrolmentResource(EnrolmentService enrolments, CurrentCaller caller) {
        this.enrolments = enrolments;
        this.caller = caller;
    }

    @GET
    @Operation(
            operationId = "listEnrolments",
            summary = "What the caller studies",
            description = "Books and framework subjects, oldest first")
    @APIResponse(responseCode = "200", description = "All of the caller's enrolments")
    public Uni<Page<EnrolmentView>> list() {
        return enrolments
                .list(caller.get().requireUser(), caller.get().canSeeDrafts())
                .map(items -> new Page<>(items, null));
    }

    @PUT
    @Path("books/{book}")
    @Operation(
            operationId = "enrolInBook",
            summary = "Enrol in a book",
            description = "Idempotent: 201 the first time, 200 after")
    @APIResponse(
            responseCode = "201",
            description = "Enrolled",
            content = @Content(schema = @Schema(implementation = EnrolmentView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Already enrolled",
            content = @Content(schema = @Schema(implementation = EnrolmentView.class)))
    @APIResponse(responseCode = "404", description = "No such book")
    public Uni<Response> enrolInBook(@PathParam("book") String book) {
        return enrolments
                .enrolInBook(caller.get().requireUser(), book, caller.get().canSeeDrafts())
                .map(e -> Response.status(e.created() ? 201 : 200)
                        .entity(e.enrolment())
                        .build());
    }

    @DELETE
    @Path("books/{book}")
    @Operation(operationId = "leaveBook", summary = "Leave a book")
    @APIResponse(responseCode = "204", description = "No longer enrolled")
    @APIResponse(responseCode = "404", description = "Not enrolled in that book")
    public Uni<Response> leaveBook(@PathParam("book") String book) {
        return enrolments
                .leaveBook(caller.get().requireUser(), book)
                .map(v -> Response.noContent().build());
    }

    @PUT
    @Path("subjects/{framework}/{subject}")
    @Operation(
            operationId = "enrolInSubject",
            summary = "Enrol in a subject of a curriculum framework",
            description = "Idempotent: 201 the first time, 200 after")
    @APIResponse(
            responseCode = "201",
            description = "Enrolled",
            content = @Content(schema = @Schema(implementation = EnrolmentView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Already enrolled",
            content = @Content(schema = @Schema(implementation = EnrolmentView.class)))
    @APIResponse(responseCode = "404", description = "No such framework or subject")
    public Uni<Response> enrolInSubject(
            @PathParam("framework") String framework, @PathParam("subject") String subject) {
        return enrolments
                .enrolInSubject(caller.get().requireUser(), framework, subject)
                .map(e -> Response.status(e.created() ? 201 : 200)
                        .entity(e.enrolment())
                        .build());
    }

    @DELETE
    @Path("subjects/{framework}/{subject}")
    @Operation(operationId = "leaveSubject", summary = "Leave a subject")
    @APIResponse(responseCode = "204", description = "No longer enrolled")
    @APIResponse(responseCode = "404", description = "Not enrolled in that subject")
    public Uni<Response> leaveSubject(@PathParam("framework") String framework, @PathParam("subject") String subject) {
        return enrolments
                .leaveSubject(caller.get().requireUser(), framework, subject)
                .map(v -> Response.noContent().build());
    }
}
