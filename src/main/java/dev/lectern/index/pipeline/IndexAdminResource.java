package dev.lectern.index.pipeline;

import dev.lectern.identity.Roles;
import dev.lectern.index.pipeline.IndexJobService.JobView;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Operator control of the semantic index: rebuilds and their progress (JSON or server-sent events). */
@Path("/api/v1/admin/index")
@RetryOnConnectionLoss
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer", scopes = Roles.ADMIN)
@SecurityRequirement(name = "apiKey", scopes = Roles.ADMIN)
public class IndexAdminResource {

    private final IndexJobService jobs;

    public IndexAdminResource(IndexJobService jobs) {
        this.jobs = jobs;
    }

    @POST
    @Path("rebuild")
    @Operation(
            operationId = "rebuildIndex",
            summary = "Rebuild the serving index",
            description = "Reconciles every chapter's chunks and points in the background. "
                    + "Stored vectors are reused unless the embedding model changed or `reembed=true`; `recreate=true` drops and recreates "
                    + "the vector collection first (removes orphaned points; search degrades until the rebuild ends); `book` limits the "
                    + "rebuild to one book's chapters.")
    @APIResponse(
            responseCode = "202",
            description = "Job accepted; follow it at the Location",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "A malformed book slug, or recreate with a book")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such book")
    @APIResponse(responseCode = "409", description = "A rebuild is already running")
    public Uni<Response> rebuild(
            @RestQuery("reembed") @DefaultValue("false") boolean reembed,
            @RestQuery("recreate") @DefaultValue("false") boolean recreate,
            @RestQuery @Pattern(regexp = "^[a-z0-9]+(-[a-z0-9]+)*$", message = "must be a book slug") String book,
            @Context UriInfo uri) {
        return jobs.create(reembed, recreate, book)
                .invoke(job -> jobs.start(job.id(), reembed, recreate, book))
                .map(job -> Response.accepted(job)
                        .location(uri.getBaseUriBuilder()
                                .path("api/v1/admin/index/jobs/{id}")
                                .build(job.id()))
                        .build());
    }

    @GET
    @Path("jobs/{id}")
    @Operation(
            operationId = "getIndexJob",
            summary = "A rebuild's progress",
            description = "Chapters processed of total, chunks written, rate (chapters/s) and ETA")
    @APIResponse(
            responseCode = "200",
            description = "Job",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<JobView> job(@PathParam("id") UUID id) {
        return jobs.find(id)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("index job " + id + " not found"));
    }

    @GET
    @Path("jobs/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "streamIndexJobEvents",
            summary = "A rebuild's progress as server-sent events",
            description = "The job every second until it has finished")
    @APIResponse(
            responseCode = "200",
            description = "Event stream of IndexJob",
            content =
                    @Content(
                            mediaType = MediaType.SERVER_SENT_EVENTS,
                            schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "No such job")
    @ExistingJob
    public Multi<JobView> events(@PathParam("id") UUID id) {
        return jobs.follow(id, Duration.ofSeconds(1));
    }

    /** Binds {@link #existingJob} to the event stream: once an SSE response has started, a 404 can no longer be sent. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface ExistingJob {}

    /** Answers 404 problem+json for an unknown job before the event stream starts. */
    @ServerRequestFilter
    @ExistingJob
    public Uni<Response> existingJob(UriInfo uri) {
        String raw = uri.getPathParameters().getFirst("id");
        UUID id;
        try {
            id = UUID.fromString(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom().item(notFound(raw, uri));
        }
        return jobs.find(id).map(job -> job == null ? notFound(raw, uri) : null);
    }

    private static Response notFound(String id, UriInfo uri) {
        return Response.status(404)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        Problem.TYPE_BASE + "not-found",
                        "Not found",
                        404,
                        "index job " + id + " not found",
                        uri.getPath(),
                        null))
                .build();
    }
}
