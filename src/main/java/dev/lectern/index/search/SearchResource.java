package dev.lectern.index.search;

import dev.lectern.catalogue.content.ContentAccess;
import dev.lectern.index.IndexExamples;
import dev.lectern.index.search.SearchViews.ContextPack;
import dev.lectern.index.search.SearchViews.ContextRequest;
import dev.lectern.index.search.SearchViews.Mode;
import dev.lectern.index.search.SearchViews.SearchRequest;
import dev.lectern.index.search.SearchViews.SearchResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

/** Passages to cite: search (dense, full-text, hybrid) and context packs for RAG prompts. Same access as reading content. */
@Path("/api/v1/search")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Search",
        description = "Semantic and full-text search over chapter passages, and citation-ready context packs")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
public class SearchResource {

    private final SearchService search;
    private final ContextPackService packs;
    private final ContentAccess access;

    public SearchResource(SearchService search, ContextPackService packs, ContentAccess access) {
        this.search = search;
        this.packs = packs;
        this.access = access;
    }

    @POST
    @Operation(
            operationId = "searchPassages",
            summary = "Search passages",
            description =
                    "Hybrid (dense similarity and full-text score, combined by weight) by default; "
                            + "filters by book, chapters, sections, difficulty, language and outcome codes; `diversify` applies maximal marginal "
                            + "relevance. Each hit carries what a citation needs: book, chapter slug and title, section number, title and anchor.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "search", value = IndexExamples.SEARCH_REQUEST)))
    @APIResponse(
            responseCode = "200",
            description = "Hits, best first",
            content =
                    @Content(
                            schema = @Schema(implementation = SearchResponse.class),
                            examples = @ExampleObject(name = "hits", value = IndexExamples.SEARCH_RESPONSE)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "401", description = "Credentials required (content not public) or invalid")
    @APIResponse(responseCode = "404", description = "A filtered book or chapter does not exist")
    @APIResponse(
            responseCode = "503",
            description =
                    "The vector index is unreachable or still loading (Retry-After given); full-text mode keeps working")
    public Uni<SearchResponse> search(@Valid @NotNull SearchRequest request) {
        Mode mode = request.mode() == null ? Mode.HYBRID : request.mode();
        int limit = request.limit() == null ? 10 : request.limit();
        return access.reader()
                .chain(drafts -> search.search(
                        request.query().strip(),
                        limit,
                        mode,
                        request.filters(),
                        request.scoreThreshold(),
                        Boolean.TRUE.equals(request.diversify()),
                        drafts));
    }

    @POST
    @Path("context")
    @Operation(
            operationId = "getContextPack",
            summary = "Context pack for a RAG prompt",
            description =
                    "The best passages by hybrid rank (first the best passage of each section among the top ten hits, then the rest by rank; near-duplicates "
                            + "dropped) that fit `tokenBudget` tokens of the embedding model's tokenizer, as one text with [n] source markers, "
                            + "plus the numbered sources (one per chapter section) and the passages.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "context", value = IndexExamples.CONTEXT_REQUEST)))
    @APIResponse(
            responseCode = "200",
            description = "Context pack",
            content =
                    @Content(
                            schema = @Schema(implementation = ContextPack.class),
                            examples = @ExampleObject(name = "pack", value = IndexExamples.CONTEXT_PACK)))
    @APIResponse(responseCode = "400", description = "Invalid request")
    @APIResponse(responseCode = "401", description = "Credentials required (content not public) or invalid")
    @APIResponse(responseCode = "404", description = "A filtered book or chapter does not exist")
    @APIResponse(responseCode = "503", description = "The vector index is unreachable or still loading")
    public Uni<ContextPack> context(@Valid @NotNull ContextRequest request) {
        int budget = request.tokenBudget() == null ? 1500 : request.tokenBudget();
        return access.reader().chain(drafts -> packs.pack(request.query().strip(), budget, request.filters(), drafts));
    }
}
