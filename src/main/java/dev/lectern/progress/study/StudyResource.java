package dev.lectern.progress.study;

import dev.lectern.identity.Caller;
import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Idempotency;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.progress.ProgressExamples;
import dev.lectern.progress.study.SessionViews.HeartbeatRequest;
import dev.lectern.progress.study.SessionViews.SessionView;
import dev.lectern.progress.study.SessionViews.StartRequest;
import dev.lectern.progress.study.SessionViews.StatsView;
import dev.lectern.progress.study.TaskViews.CreateTaskRequest;
import dev.lectern.progress.study.TaskViews.TaskView;
import dev.lectern.progress.study.TaskViews.UpdateTaskRequest;
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
import java.time.LocalDate;
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
@Tag(name = "Study", description = "The caller's study tasks, learning sessions and stats")
public class StudyResource {

    private final TaskService tasks;
    private final SessionService sessions;
    private final CurrentCaller caller;
    private final Idempotency idempotency;

    public StudyResource(TaskService tasks, SessionService sessions, CurrentCaller caller, Idempotency idempotency) {
        this.tasks = tasks;
        this.sessions = sessions;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Path("tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createTask", summary = "Create a study task")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "task", value = ProgressExamples.CREATE_TASK)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    public Uni<Response> createTask(
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @Valid @NotNull CreateTaskRequest request) {
        UUID me = caller.get().requireUser();
        return idempotency.once(
                idempotencyKey,
                me,
                "POST /api/v1/me/tasks",
                request,
                () -> tasks.create(me, request, caller.get().canSeeDrafts())
                        .map(t -> Response.created(URI.create("/api/v1/me/tasks/" + t.id()))
                                .entity(t)
                                .build()));
    }

    @GET
    @Path("tasks")
    @Operation(
            operationId = "listTasks",
            summary = "List study tasks",
            description =
                    "Filter by completion, priority, tag, due dates and overdue; sort by due, priority or created")
    @APIResponse(responseCode = "200", description = "A page of tasks")
    @APIResponse(responseCode = "400", description = "Invalid filter, sort, limit or cursor")
    public Uni<Page<TaskView>> listTasks(
            @QueryParam("completed") Boolean completed,
            @Parameter(description = "high, medium or low") @QueryParam("priority") String priority,
            @QueryParam("tag") String tag,
            @Parameter(description = "Due strictly before this date") @QueryParam("dueBefore") LocalDate dueBefore,
            @Parameter(description = "Due strictly after this date") @QueryParam("dueAfter") LocalDate dueAfter,
            @QueryParam("overdue") Boolean overdue,
            @Parameter(description = "created (default), due or priority") @QueryParam("sort") @DefaultValue("created")
                    String sort,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        if (priority != null && !priority.matches(TaskViews.PRIORITY)) {
            throw ProblemException.invalid("priority", TaskViews.PRIORITY_MESSAGE);
        }
        TaskViews.Sort order;
        try {
            order = TaskViews.Sort.valueOf(sort);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("sort", "must be one of created, due, priority");
        }
        String normalisedTag = tag == null ? null : tag.trim().toLowerCase(java.util.Locale.ROOT);
        return tasks.list(
                caller.get().requireUser(),
                new TaskViews.Filter(completed, priority, normalisedTag, dueBefore, dueAfter, overdue),
                order,
                limit,
                cursor);
    }

    @GET
    @Path("tasks/{id}")
    @Operation(operationId = "getTask", summary = "A study task")
    @APIResponse(
            responseCode = "200",
            description = "The task",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "No such task of the caller's")
    public Uni<TaskView> getTask(@PathParam("id") UUID id) {
        return tasks.get(id, caller.get().userId(), caller.get().admin());
    }

    @PATCH
    @Path("tasks/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "updateTask",
            summary = "Change a study task",
            description = "completed: true stamps completedAt once; false clears it")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "complete", value = ProgressExamples.UPDATE_TASK)))
    @APIResponse(
            responseCode = "200",
            description = "The task",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "No such task of the caller's")
    public Uni<TaskView> updateTask(@PathParam("id") UUID id, @Valid @NotNull UpdateTaskRequest request) {
        return tasks.update(
                id,
                caller.get().userId(),
                caller.get().admin(),
                request,
                caller.get().canSeeDrafts());
    }

    @DELETE
    @Path("tasks/{id}")
    @Operation(operationId = "deleteTask", summary = "Delete a study task")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such task of the caller's")
    public Uni<Response> deleteTask(@PathParam("id") UUID id) {
        return tasks.delete(id, caller.get().userId(), caller.get().admin())
                .map(v -> Response.noContent().build());
    }

    @POST
    @Path("sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "startSession",
            summary = "Start a learning session",
            description = "Optionally on a chapter, for time on task per chapter")
    @APIResponse(
            responseCode = "201",
            description = "Started",
            content = @Content(schema = @Schema(implementation = SessionView.class)))
    public Uni<Response> startSession(
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @RequestBody(
                            required = false,
                            description = "Optional: send no body to start a session on no chapter",
                            content =
                                    @Content(
                                            examples =
                                                    @ExampleObject(
                                                            name = "chapter",
                                                            value = ProgressExamples.START_SESSION)))
                    @Valid
                    StartRequest request) {
        UUID me = caller.get().requireUser();
        return idempotency.once(
                idempotencyKey,
                me,
                "POST /api/v1/me/sessions",
                request,
                () -> sessions.start(me, request, caller.get().canSeeDrafts())
                        .map(s -> Response.created(URI.create("/api/v1/me/sessions/" + s.id()))
                                .entity(s)
                                .build()));
    }

    @POST
    @Path("sessions/{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "sendSessionHeartbeat",
            summary = "Keep a session alive",
            description = "Adds the time since the last heartbeat (at most 5 minutes) and the counts sent")
    @APIResponse(
            responseCode = "200",
            description = "The session",
            content = @Content(schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "404", description = "No such session of the caller's")
    @APIResponse(responseCode = "409", description = "The session has ended")
    public Uni<Response> heartbeat(
            @PathParam("id") UUID id,
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @RequestBody(
                            required = false,
                            description = "Optional: counts since the last heartbeat",
                            content =
                                    @Content(
                                            examples =
                                                    @ExampleObject(
                                                            name = "counts",
                                                            value = ProgressExamples.HEARTBEAT)))
                    @Valid
                    HeartbeatRequest request) {
        return sessionStep(id, idempotencyKey, "heartbeat", request, false);
    }

    @POST
    @Path("sessions/{id}/end")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "endSession",
            summary = "End a learning session",
            description = "A last heartbeat, then the session is closed")
    @APIResponse(
            responseCode = "200",
            description = "The ended session",
            content = @Content(schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "404", description = "No such session of the caller's")
    @APIResponse(responseCode = "409", description = "Already ended")
    public Uni<Response> endSession(
            @PathParam("id") UUID id,
            @Parameter(description = Idempotency.DESCRIPTION) @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            @RequestBody(
                            required = false,
                            description = "Optional: counts since the last heartbeat",
                            content =
                                    @Content(
                                            examples =
                                                    @ExampleObject(
                                                            name = "counts",
                                                            value = ProgressExamples.HEARTBEAT)))
                    @Valid
                    HeartbeatRequest request) {
        return sessionStep(id, idempotencyKey, "end", request, true);
    }

    /** A heartbeat or the end of a session: a repeated one would count its time and items twice. */
    private Uni<Response> sessionStep(
            UUID id, String idempotencyKey, String step, HeartbeatRequest request, boolean end) {
        Caller me = caller.get();
        return idempotency
                .keptFor(idempotencyKey, me.userId(), me.admin(), () -> sessions.owner(id))
                .chain(keptFor -> idempotency.once(
                        idempotencyKey,
                        keptFor,
                        "POST /api/v1/me/sessions/" + id + "/" + step,
                        request,
                        () -> sessions.heartbeat(id, me.userId(), me.admin(), request, end)
                                .map(s -> Response.ok(s).build())));
    }

    @GET
    @Path("stats")
    @Operation(
            operationId = "getStudyStats",
            summary = "The caller's study stats",
            description =
                    "Streak days, minutes this week, reviews done, chapters completed; one query over the caller's own rows")
    @APIResponse(
            responseCode = "200",
            description = "Stats",
            content = @Content(schema = @Schema(implementation = StatsView.class)))
    public Uni<StatsView> stats() {
        return sessions.stats(caller.get().requireUser());
    }
}
