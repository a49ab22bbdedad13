package dev.lectern.mcp;

import dev.lectern.identity.Caller;
import dev.lectern.index.search.ContextPackService;
import dev.lectern.index.search.SearchService;
import dev.lectern.index.search.SearchViews.ContextRequest;
import dev.lectern.index.search.SearchViews.Filters;
import dev.lectern.index.search.SearchViews.Hit;
import dev.lectern.index.search.SearchViews.Mode;
import dev.lectern.index.search.SearchViews.SearchRequest;
import dev.lectern.index.search.SearchViews.Source;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/** Passages to cite, as tools: search and context packs, with the same filters and limits as the REST API. */
@ApplicationScoped
class SearchTools {

    private static final String FILTERS = """
              "book":{"type":"string","description":"Only this book (slug, as list_books gives it)"},
              "chapters":{"type":"array","items":{"type":"string"},"maxItems":100,"description":"Only these chapter slugs (of book, when given)"},
              "difficulty":{"type":"string","enum":["beginner","intermediate","advanced"],"description":"Only chapters of this difficulty"}""";

    private final ToolCalls calls;
    private final SearchService search;
    private final ContextPackService packs;

    SearchTools(ToolCalls calls, SearchService search, ContextPackService packs) {
        this.calls = calls;
        this.search = search;
        this.packs = packs;
    }

    /** The tools' arguments: flat, as a model writes them; checked as the REST request they become. */
    record SearchArguments(
            String query, String book, List<String> chapters, String difficulty, Integer limit, String mode) {}

    record PackArguments(String query, Integer tokenBudget, String book, List<String> chapters, String difficulty) {}

    List<AsyncToolSpecification> tools(McpJsonMapper mapper) {
        return List.of(
                calls.tool(
                        mapper,
                        "search_passages",
                        "Search textbook passages",
                        "Finds the passages of the textbooks that answer a question, best first. Ask in natural "
                                + "language; each hit has the passage text and its citation (book, chapter slug "
                                + "and title, section number, title and anchor). Use read_section to read around "
                                + "a hit, get_context_pack for a ready-made prompt context.",
                        """
                                {"type":"object","additionalProperties":false,"required":["query"],"properties":{
                                  "query":{"type":"string","minLength":1,"maxLength":2000,"description":"The question or topic"},
                                  "limit":{"type":"integer","minimum":1,"maximum":50,"description":"Hits to return (default 10)"},
                                  "mode":{"type":"string","enum":["hybrid","dense","fulltext"],"description":"hybrid (default): meaning and words; dense: meaning only; fulltext: words only"},
                                %s}}""".formatted(FILTERS),
                        false,
                        SearchArguments.class,
                        this::search),
                calls.tool(
                        mapper,
                        "get_context_pack",
                        "Get a context pack for a question",
                        "Builds the context to answer a question from the textbooks: the best passages that fit "
                                + "a token budget, as one text with [n] markers, and the numbered sources the "
                                + "markers refer to. Answer from the context and cite the sources by number.",
                        """
                                {"type":"object","additionalProperties":false,"required":["query"],"properties":{
                                  "query":{"type":"string","minLength":1,"maxLength":2000,"description":"The question to answer"},
                                  "tokenBudget":{"type":"integer","minimum":50,"maximum":32000,"description":"Most tokens the context may take (default 1500)"},
                                %s}}""".formatted(FILTERS),
                        false,
                        PackArguments.class,
                        this::pack));
    }

    private Uni<ToolCalls.Result> search(Caller caller, SearchArguments arguments) {
        Mode mode = arguments.mode() == null ? null : mode(arguments.mode());
        SearchRequest request = new SearchRequest(
                arguments.query(),
                arguments.limit(),
                mode,
                filters(arguments.book(), arguments.chapters(), arguments.difficulty()),
                null,
                null);
        calls.validate(request);
        boolean drafts = calls.reader(caller);
        return search.search(
                        request.query().strip(),
                        request.limit() == null ? 10 : request.limit(),
                        mode == null ? Mode.HYBRID : mode,
                        request.filters(),
                        null,
                        false,
                        drafts)
                .map(response -> {
                    StringBuilder text = new StringBuilder();
                    if (Boolean.TRUE.equals(response.degraded())) {
                        text.append("(The semantic index is unavailable: these are full-text results.)\n\n");
                    }
                    int n = 0;
                    for (Hit hit : response.hits()) {
                        text.append('[')
                                .append(++n)
                                .append("] ")
                                .append(cite(
                                        hit.bookTitle(),
                                        hit.chapterTitle(),
                                        hit.sectionNumber(),
                                        hit.sectionTitle(),
                                        hit.book(),
                                        hit.chapter(),
                                        hit.anchor()))
                                .append(String.format(Locale.ROOT, " score %.3f%n", hit.score()))
                                .append(hit.text().strip())
                                .append("\n\n");
                    }
                    if (n == 0) {
                        text.append("No passage matches.\n");
                    }
                    return new ToolCalls.Result(response, text.toString());
                });
    }

    private Uni<ToolCalls.Result> pack(Caller caller, PackArguments arguments) {
        ContextRequest request = new ContextRequest(
                arguments.query(),
                arguments.tokenBudget(),
                filters(arguments.book(), arguments.chapters(), arguments.difficulty()));
        calls.validate(request);
        boolean drafts = calls.reader(caller);
        int budget = request.tokenBudget() == null ? 1500 : request.tokenBudget();
        return packs.pack(request.query().strip(), budget, request.filters(), drafts)
                .map(pack -> {
                    StringBuilder text = new StringBuilder(pack.context().strip()).append("\n\nSources:\n");
                    for (Source source : pack.sources()) {
                        text.append('[')
                                .append(source.number())
                                .append("] ")
                                .append(cite(
                                        source.bookTitle(),
                                        source.chapterTitle(),
                                        source.sectionNumber(),
                                        source.sectionTitle(),
                                        source.book(),
                                        source.chapter(),
                                        source.anchor()))
                                .append('\n');
                    }
                    if (pack.sources().isEmpty()) {
                        text.append("none: no passage matches.\n");
                    }
                    return new ToolCalls.Result(pack, text.toString());
                });
    }

    /** A passage's citation: where it is, in words and in the slugs and anchor that link to it. */
    private static String cite(
            String bookTitle,
            String chapterTitle,
            int section,
            String sectionTitle,
            String book,
            String chapter,
            String anchor) {
        return bookTitle + " › " + chapterTitle + " › " + section + ". " + sectionTitle + " (book " + book
                + ", chapter " + chapter + ", section " + section + ", #" + anchor + ")";
    }

    private static Filters filters(String book, List<String> chapters, String difficulty) {
        if (book == null && chapters == null && difficulty == null) {
            return null;
        }
        return new Filters(book, chapters, null, difficulty == null ? null : List.of(difficulty), null, null);
    }

    private static Mode mode(String mode) {
        for (Mode candidate : Mode.values()) {
            if (candidate.wire().equals(mode)) {
                return candidate;
            }
        }
        throw dev.lectern.platform.ProblemException.invalid("mode", "must be hybrid, dense or fulltext");
    }
}
