package dev.lectern.catalogue.importing;

import dev.lectern.catalogue.CatalogueExamples;
import dev.lectern.catalogue.content.BookViews;
import dev.lectern.catalogue.importing.ImportViews.ImportResult;
import dev.lectern.identity.Roles;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/books/{book}/import")
@RetryOnConnectionLoss
@Tag(name = "Chapters")
public class ImportResource {

    private final ImportService imports;

    public ImportResource(ImportService imports) {
        this.imports = imports;
    }

    @POST
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN})
    @Consumes({"application/zip", "application/x-zip-compressed", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "importBook",
            summary = "Import a zipped Docusaurus docs folder",
            description =
                    "Every .md and .mdx file (nested folders, _category_.json positions, sidebar_position) becomes a chapter, "
                            + "numbered in sidebar order, its slug from the front matter or the file path. Each file is stored in its own "
                            + "transaction: a bad file is reported in the result and does not abort the others.")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "docs",
                                            summary = CatalogueExamples.DOCS_ZIP_SUMMARY,
                                            description = CatalogueExamples.DOCS_ZIP_DESCRIPTION)))
    @APIResponse(
            responseCode = "200",
            description = "Per-file results",
            content = @Content(schema = @Schema(implementation = ImportResult.class)))
    @APIResponse(responseCode = "400", description = "Not a zip, or no Markdown in it")
    @APIResponse(responseCode = "404", description = "No such book")
    @APIResponse(responseCode = "413", description = "Archive too large or has too many entries")
    public Uni<ImportResult> importZip(
            @PathParam("book") @Pattern(regexp = BookViews.SLUG, message = BookViews.SLUG_MESSAGE) String book,
            byte[] zip) {
        if (zip == null || zip.length == 0) {
            return Uni.createFrom()
                    .failure(ProblemException.badRequest("the request body is empty; send a zip archive"));
        }
        return imports.importZip(book, zip);
    }
}
