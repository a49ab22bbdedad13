package dev.lectern.progress;

import dev.lectern.identity.Callers;
import dev.lectern.platform.Page;
import dev.lectern.platform.Problem;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.EnrolmentService.EnrolmentView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/me/enrolments")
@RetryOnConnectionLoss
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Progress")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@APIResponse(
        responseCode = "401",
        description = "No or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class EnrolmentResource {

    private final EnrolmentService enrolments;
    private final SecurityIdentity identity;

    public EnrolmentResource(EnrolmentService enrolments, SecurityIdentity identity) {
        this.enrolments = enrolments;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "What the caller studies", description = "Books and framework subjects, oldest first")
    @APIResponse(responseCode = "200", description = "All of the caller's enrolments")
    public Uni<Page<EnrolmentView>> list() {
        return enrolments.list(Callers.userId(identity)).map(items -> new Page<>(items, null));
    }

    @PUT
    @Path("books/{book}")
    @Operation(summary = "Enrol in a book", description = "Idempotent: 201 the first time, 200 after")
    @APIResponse(
            responseCode = "201",
            description = "Enrolled",
            content = @Content(schema = @Schema(implementation = EnrolmentView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Already enrolled",
            content = @Content(schema = @Schema(implementation = EnrolmentView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such book",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> enrolInBook(@PathParam("book") String book) {
        return enrolments
                .enrolInBook(Callers.userId(identity), book)
                .map(e -> Response.status(e.created() ? 201 : 200)
                        .entity(e.enrolment())
                        .build());
    }

    @DELETE
    @Path("books/{book}")
    @Operation(summary = "Leave a book")
    @APIResponse(responseCode = "204", description = "No longer enrolled")
    @APIResponse(
            responseCode = "404",
            description = "Not enrolled in that book",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> leaveBook(@PathParam("book") String book) {
        return enrolments
                .leaveBook(Callers.userId(identity), book)
                .map(v -> Response.noContent().build());
    }

    @PUT
    @Path("subjects/{framework}/{subject}")
    @Operation(
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
    @APIResponse(
            responseCode = "404",
            description = "No such framework or subject",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> enrolInSubject(
            @PathParam("framework") String framework, @PathParam("subject") String subject) {
        return enrolments
                .enrolInSubject(Callers.userId(identity), framework, subject)
                .map(e -> Response.status(e.created() ? 201 : 200)
                        .entity(e.enrolment())
                        .build());
    }

    @DELETE
    @Path("subjects/{framework}/{subject}")
    @Operation(summary = "Leave a subject")
    @APIResponse(responseCode = "204", description = "No longer enrolled")
    @APIResponse(
            responseCode = "404",
            description = "Not enrolled in that subject",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> leaveSubject(@PathParam("framework") String framework, @PathParam("subject") String subject) {
        return enrolments
                .leaveSubject(Callers.userId(identity), framework, subject)
                .map(v -> Response.noContent().build());
    }
}
