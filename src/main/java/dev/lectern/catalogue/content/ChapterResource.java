package dev.lectern.catalogue.content;

import dev.lectern.catalogue.CatalogueExamples;
import dev.lectern.catalogue.ContentConfig;
import dev.lectern.catalogue.content.ChapterViews.ChapterSummary;
import dev.lectern.catalogue.content.ChapterViews.ChapterView;
import dev.lectern.identity.Roles;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/books/{book}/chapters")
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chapters", description = "Chapters authored in Markdown, split into sections")
public class ChapterResource {

    public static final String MARKDOWN = "text/markdown";

    private final ChapterService chapters;
    private final ChapterReads reads;
    private final ContentAccess access;
    private final long maxMarkdownBytes;

    public ChapterResource(ChapterService chapters, ChapterReads reads, ContentAccess access, ContentConfig config) {
        this.chapters = chapters;
        this.reads = reads;
        this.access = access;
        this.maxMarkdownBytes = config.maxMarkdownBytes();
    }

    @PUT
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{chapter}")
    @Consumes(MARKDOWN)
    @Operation(
            operationId = "putChapter",
            summary = "Create or update a chapter from Markdown",
            description =
                    "Markdown with YAML front matter (title, number or sidebar_position, difficulty, summary, outcomes, draft). "
                            + "Sections are cut at headings. Re-sending identical content changes nothing: same version, same ETag.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MARKDOWN,
                            examples = @ExampleObject(name = "chapter", value = CatalogueExamples.CHAPTER_MARKDOWN)))
    @APIResponse(
            responseCode = "201",
            description = "Chapter created",
            content =
                    @Content(
                            schema = @Schema(implementation = ChapterView.class),
                            examples = @ExampleObject(name = "chapter", value = CatalogueExamples.CHAPTER)))
    @APIResponse(
            responseCode = "200",
            description = "Chapter updated, or unchanged",
            content =
                    @Content(
                            schema = @Schema(implementation = ChapterView.class),
                            examples = @ExampleObject(name = "chapter", value = CatalogueExamples.CHAPTER)))
    @APIResponse(responseCode = "400", description = "Invalid front matter or empty chapter")
    @APIResponse(responseCode = "404", description = "No such book")
    @APIResponse(responseCode = "409", description = "The chapter is soft-deleted, or was changed concurrently")
    @APIResponse(responseCode = "413", description = "Document larger than lectern.content.max-markdown-bytes")
    @APIResponse(responseCode = "415", description = "Content-Type is not text/markdown")
    public Uni<Response> put(
            @PathParam("book") @Pattern(regexp = BookViews.SLUG, message = BookViews.SLUG_MESSAGE) String book,
            @PathParam("chapter") @Pattern(regexp = BookViews.SLUG, message = BookViews.SLUG_MESSAGE) @Size(max = 100)
                    String chapter,
            String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalid("body", "the Markdown document is empty"));
        }
        if (markdown.getBytes(StandardCharsets.UTF_8).length > maxMarkdownBytes) {
            return Uni.createFrom()
                    .failure(ProblemException.payloadTooLarge(
                            "the Markdown document is larger than " + maxMarkdownBytes + " bytes"));
        }
        return chapters.upsert(book, chapter, markdown).map(result -> {
            Response.ResponseBuilder response = result.created()
                    ? Response.created(URI.create("/api/v1/books/" + book + "/chapters/" + chapter))
                    : Response.ok();
            return response.entity(result.chapter())
                    .header(HttpHeaders.ETAG, result.chapter().etag())
                    .build();
        });
    }

    @GET
    @PermitAll
    @Path("{chapter}")
    @Operation(
            operationId = "getChapter",
            summary = "Get a chapter with its ordered sections",
            description = "Sends an ETag; answers 304 to a matching If-None-Match")
    @APIResponse(
            responseCode = "200",
            description = "The chapter",
            content =
                    @Content(
                            schema = @Schema(implementation = ChapterView.class),
                            examples = @ExampleObject(name = "chapter", value = CatalogueExamples.CHAPTER)))
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "404", description = "No such live chapter")
    public Uni<Response> get(
            @PathParam("book") String book,
            @PathParam("chapter") String chapter,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return access.reader()
                .chain(drafts -> reads.read(book, chapter, drafts))
                .map(read -> {
                    if (matches(ifNoneMatch, read.etag())) {
                        return Response.notModified()
                                .header(HttpHeaders.ETAG, read.etag())
                                .build();
                    }
                    // Serialised already: the same media type as every JSON entity the REST layer writes.
                    return Response.ok(read.json(), MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                            .header(HttpHeaders.ETAG, read.etag())
                            .build();
                });
    }

    @GET
    @PermitAll
    @Operation(
            operationId = "listChapters",
            summary = "List a book's chapters",
            description = "Live chapters in number order, keyset-paginated, filterable by difficulty and outcome code")
    @APIResponse(responseCode = "200", description = "A page of chapters")
    @APIResponse(responseCode = "400", description = "Invalid limit, cursor or filter")
    @APIResponse(responseCode = "404", description = "No such book")
    public Uni<Page<ChapterSummary>> list(
            @PathParam("book") String book,
            @Parameter(description = "Page size (1-100)") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            @Parameter(description = "Cursor from the previous page's `next`") @QueryParam("cursor") String cursor,
            @Parameter(description = "beginner, intermediate or advanced") @QueryParam("difficulty") String difficulty,
            @Parameter(description = "Outcome code the chapter teaches") @QueryParam("outcome") String outcome) {
        Difficulty level = parseDifficulty(difficulty);
        return access.reader().chain(drafts -> chapters.list(book, limit, cursor, level, outcome, drafts));
    }

    @DELETE
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{chapter}")
    @Operation(
            operationId = "deleteChapter",
            summary = "Soft-delete a chapter",
            description = "Gone from reads and lists until restored")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such live chapter")
    public Uni<Response> delete(@PathParam("book") String book, @PathParam("chapter") String chapter) {
        return chapters.delete(book, chapter).map(v -> Response.noContent().build());
    }

    @POST
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{chapter}/restore")
    @Operation(operationId = "restoreChapter", summary = "Restore a soft-deleted chapter")
    @APIResponse(
            responseCode = "200",
            description = "The restored chapter",
            content = @Content(schema = @Schema(implementation = ChapterView.class)))
    @APIResponse(responseCode = "404", description = "No such chapter")
    public Uni<Response> restore(@PathParam("book") String book, @PathParam("chapter") String chapter) {
        return chapters.restore(book, chapter)
                .map(view ->
                        Response.ok(view).header(HttpHeaders.ETAG, view.etag()).build());
    }

    private static Difficulty parseDifficulty(String difficulty) {
        if (difficulty == null || difficulty.isBlank()) {
            return null;
        }
        try {
            return Difficulty.fromCode(difficulty);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("difficulty", "must be one of beginner, intermediate, advanced");
        }
    }

    /** RFC 9110 §13.1.2: weak comparison, a list of tags, or "*". */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.replaceFirst("^W/", "").equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
