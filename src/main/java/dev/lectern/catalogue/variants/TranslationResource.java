package dev.lectern.catalogue.variants;

import dev.lectern.catalogue.CatalogueExamples;
import dev.lectern.catalogue.content.ContentAccess;
import dev.lectern.catalogue.variants.VariantService.PutTranslationRequest;
import dev.lectern.catalogue.variants.VariantService.TranslationView;
import dev.lectern.identity.Roles;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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

@Path("/api/v1/books/{book}/chapters/{chapter}/translations/{lang}")
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chapters")
public class TranslationResource {

    private static final String LANGUAGE = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";

    private final VariantService variants;
    private final ContentAccess access;

    public TranslationResource(VariantService variants, ContentAccess access) {
        this.variants = variants;
        this.access = access;
    }

    @PUT
    @RolesAllowed({Roles.AUTHOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(
            name = "bearer",
            scopes = {Roles.AUTHOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(
            name = "apiKey",
            scopes = {Roles.AUTHOR, Roles.ADMIN, Roles.SERVICE})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "putChapterTranslation",
            summary = "Store a chapter's translation",
            description =
                    "Kept with the chapter's content hash and an expiry; text direction defaults by language (rtl for Urdu, Arabic…)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "urdu", value = CatalogueExamples.TRANSLATION)))
    @APIResponse(
            responseCode = "200",
            description = "Stored",
            content = @Content(schema = @Schema(implementation = TranslationView.class)))
    @APIResponse(responseCode = "404", description = "No such chapter")
    @APIResponse(responseCode = "409", description = "Translated from an older version of the chapter")
    public Uni<TranslationView> put(
            @PathParam("book") String book,
            @PathParam("chapter") String chapter,
            @PathParam("lang")
                    @Pattern(regexp = LANGUAGE, message = "must be a BCP 47 language tag such as ur or pt-BR")
                    String lang,
            @Valid @NotNull PutTranslationRequest request) {
        return variants.putTranslation(book, chapter, lang, request);
    }

    @GET
    @PermitAll
    @Operation(
            operationId = "getChapterTranslation",
            summary = "A chapter's translation",
            description =
                    "Only while fresh and the chapter unchanged: otherwise 404 with problem type variant-expired or variant-stale")
    @APIResponse(
            responseCode = "200",
            description = "The translation",
            content = @Content(schema = @Schema(implementation = TranslationView.class)))
    @APIResponse(responseCode = "404", description = "None, expired or stale (see the problem type)")
    public Uni<TranslationView> get(
            @PathParam("book") String book,
            @PathParam("chapter") String chapter,
            @PathParam("lang")
                    @Pattern(regexp = LANGUAGE, message = "must be a BCP 47 language tag such as ur or pt-BR")
                    String lang) {
        return access.reader().chain(drafts -> variants.getTranslation(book, chapter, lang, drafts));
    }
}
