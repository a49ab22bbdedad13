package dev.lectern.catalogue.content;

import dev.lectern.catalogue.CatalogueExamples;
import dev.lectern.catalogue.content.BookViews.BookView;
import dev.lectern.catalogue.content.BookViews.CreateBookRequest;
import dev.lectern.catalogue.content.BookViews.UpdateBookRequest;
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
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

@Path("/api/v1/books")
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Books", description = "Books of the content catalogue, addressed by slug")
public class BookResource {

    private final BookService books;
    private final ContentAccess access;

    public BookResource(BookService books, ContentAccess access) {
        this.books = books;
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
    @Operation(operationId = "createBook", summary = "Create a book")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "book", value = CatalogueExamples.CREATE_BOOK)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = BookView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "409", description = "A live book already has this slug")
    public Uni<Response> create(@Valid @NotNull CreateBookRequest request) {
        return books.create(request)
                .map(book -> Response.created(URI.create("/api/v1/books/" + book.slug()))
                        .entity(book)
                        .build());
    }

    @GET
    @PermitAll
    @Operation(
            operationId = "listBooks",
            summary = "List books",
            description = "Live books in slug order, keyset-paginated")
    @APIResponse(responseCode = "200", description = "A page of books")
    public Uni<Page<BookView>> list(
            @Parameter(description = "Page size (1-100)") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            @Parameter(description = "Cursor from the previous page's `next`") @QueryParam("cursor") String cursor) {
        return access.reader().chain(drafts -> books.list(limit, cursor, drafts));
    }

    @GET
    @PermitAll
    @Path("{book}")
    @Operation(operationId = "getBook", summary = "Get a book")
    @APIResponse(
            responseCode = "200",
            description = "The book",
            content =
                    @Content(
                            schema = @Schema(implementation = BookView.class),
                            examples = @ExampleObject(name = "book", value = CatalogueExamples.BOOK)))
    @APIResponse(responseCode = "404", description = "No such live book")
    public Uni<BookView> get(
            @PathParam("book") @Pattern(regexp = BookViews.SLUG, message = BookViews.SLUG_MESSAGE) String book) {
        return access.reader().chain(drafts -> books.get(book, drafts));
    }

    @PATCH
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{book}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateBook", summary = "Change a book's title, description, language or published flag")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "publish", value = CatalogueExamples.UPDATE_BOOK)))
    @APIResponse(
            responseCode = "200",
            description = "The updated book",
            content =
                    @Content(
                            schema = @Schema(implementation = BookView.class),
                            examples = @ExampleObject(name = "book", value = CatalogueExamples.BOOK)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "404", description = "No such live book")
    public Uni<BookView> update(
            @PathParam("book") @Pattern(regexp = BookViews.SLUG, message = BookViews.SLUG_MESSAGE) String book,
            @Valid @NotNull UpdateBookRequest request) {
        return books.update(book, request);
    }

    @DELETE
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Path("{book}")
    @Operation(
            operationId = "deleteBook",
            summary = "Soft-delete a book",
            description = "The book and its chapters disappear from reads; its slug becomes free")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such live book")
    public Uni<Response> delete(
            @PathParam("book") @Pattern(regexp = BookViews.SLUG, message = BookViews.SLUG_MESSAGE) String book) {
        return books.delete(book).map(v -> Response.noContent().build());
    }
}
