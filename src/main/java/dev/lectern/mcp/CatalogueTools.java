package dev.lectern.mcp;

import dev.lectern.catalogue.content.BookService;
import dev.lectern.catalogue.content.BookViews;
import dev.lectern.catalogue.content.BookViews.BookView;
import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.catalogue.content.ChapterViews.ChapterSummary;
import dev.lectern.catalogue.content.ChapterViews.ChapterView;
import dev.lectern.catalogue.content.ChapterViews.SectionView;
import dev.lectern.catalogue.content.Difficulty;
import dev.lectern.identity.Caller;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import reactor.core.publisher.Mono;

/** The catalogue as tools (list and read books, chapters, sections) and chapters as resources. */
@ApplicationScoped
class CatalogueTools {

    static final String CHAPTER_URI = "lectern://books/{book}/chapters/{chapter}";
    private static final java.util.regex.Pattern CHAPTER_URI_PATTERN =
            java.util.regex.Pattern.compile("^lectern://books/([^/]+)/chapters/([^/]+)$");
    private static final String SLUG = BookViews.SLUG;
    private static final String SLUG_OR_ID =
            "^([a-z0-9]+(-[a-z0-9]+)*|[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$";

    private final ToolCalls calls;
    private final BookService books;
    private final ChapterService chapters;

    CatalogueTools(ToolCalls calls, BookService books, ChapterService chapters) {
        this.calls = calls;
        this.books = books;
        this.chapters = chapters;
    }

    record ListBooks(
            @Min(1) @Max(100) Integer limit,
            @Size(max = 1000) String cursor) {}

    record ListChapters(
            @NotBlank @Pattern(regexp = SLUG, message = "must be a book slug")
            String book,

            @Min(1) @Max(100) Integer limit,
            @Size(max = 1000) String cursor,

            @Pattern(regexp = "beginner|intermediate|advanced", message = "must be beginner, intermediate or advanced")
            String difficulty,

            @Size(min = 1, max = 100) String outcome) {}

    record ReadChapter(
            @NotBlank @Pattern(regexp = SLUG, message = "must be a book slug")
            String book,

            @NotBlank @Pattern(regexp = SLUG_OR_ID, message = "must be a chapter slug or id")
            String chapter) {}

    record ReadSection(
            @NotBlank @Pattern(regexp = SLUG, message = "must be a book slug")
            String book,

            @NotBlank @Pattern(regexp = SLUG_OR_ID, message = "must be a chapter slug or id")
            String chapter,

            @NotNull @Min(1) @Max(10_000) Integer section) {}

    List<AsyncToolSpecification> tools(McpJsonMapper mapper) {
        return List.of(
                calls.tool(
                        mapper,
                        "list_books",
                        "List books",
                        "Lists the books of the catalogue (slug, title, description, language), a page at a time. "
                                + "Use a book's slug with list_chapters, read_chapter and as the book filter of "
                                + "search_passages.",
                        """
                                {"type":"object","additionalProperties":false,"properties":{
                                  "limit":{"type":"integer","minimum":1,"maximum":100,"description":"Books per page (default 20)"},
                                  "cursor":{"type":"string","description":"The previous page's next cursor"}}}""",
                        false,
                        ListBooks.class,
                        this::listBooks),
                calls.tool(
                        mapper,
                        "list_chapters",
                        "List a book's chapters",
                        "Lists a book's chapters in reading order: slug, number, title, summary, difficulty and "
                                + "the outcome codes each teaches. Filter by difficulty or outcome code.",
                        """
                                {"type":"object","additionalProperties":false,"required":["book"],"properties":{
                                  "book":{"type":"string","description":"Book slug, as list_books gives it"},
                                  "limit":{"type":"integer","minimum":1,"maximum":100,"description":"Chapters per page (default 20)"},
                                  "cursor":{"type":"string","description":"The previous page's next cursor"},
                                  "difficulty":{"type":"string","enum":["beginner","intermediate","advanced"]},
                                  "outcome":{"type":"string","description":"An outcome code the chapter teaches"}}}""",
                        false,
                        ListChapters.class,
                        this::listChapters),
                calls.tool(
                        mapper,
                        "read_chapter",
                        "Read a chapter",
                        "Returns a whole chapter as Markdown, section by section, with its citation "
                                + "(book, chapter slug and title). Prefer read_section or search_passages when "
                                + "only part of a chapter is needed: a chapter can be long.",
                        """
                                {"type":"object","additionalProperties":false,"required":["book","chapter"],"properties":{
                                  "book":{"type":"string","description":"Book slug"},
                                  "chapter":{"type":"string","description":"Chapter slug (a search hit's chapter) or chapter id (its chapterId)"}}}""",
                        false,
                        ReadChapter.class,
                        this::readChapter),
                calls.tool(
                        mapper,
                        "read_section",
                        "Read one section of a chapter",
                        "Returns one section of a chapter as Markdown with its citation (book, chapter, section "
                                + "number, title and anchor). Search hits and context sources give the section "
                                + "number.",
                        """
                                {"type":"object","additionalProperties":false,"required":["book","chapter","section"],"properties":{
                                  "book":{"type":"string","description":"Book slug"},
                                  "chapter":{"type":"string","description":"Chapter slug or chapter id"},
                                  "section":{"type":"integer","minimum":1,"description":"Section number within the chapter (1 is the first)"}}}""",
                        false,
                        ReadSection.class,
                        this::readSection));
    }

    AsyncResourceTemplateSpecification chapterResource() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder()
                .uriTemplate(CHAPTER_URI)
                .name("chapter")
                .title("Chapter")
                .description("A chapter of a book as Markdown, to attach to a conversation's context")
                .mimeType("text/markdown")
                .build();
        return new AsyncResourceTemplateSpecification(template, (exchange, request) -> {
            Matcher uri = CHAPTER_URI_PATTERN.matcher(request.uri());
            if (!uri.matches()) {
                return Mono.error(ProblemException.notFound("not a chapter URI: " + CHAPTER_URI));
            }
            ReadChapter arguments = new ReadChapter(uri.group(1), uri.group(2));
            return Mono.fromCallable(() -> {
                        calls.validate(arguments);
                        return arguments;
                    })
                    .flatMap(valid -> calls.run(exchange, caller -> chapter(caller, valid)))
                    .map(view -> new McpSchema.ReadResourceResult(List.of(
                            new McpSchema.TextResourceContents(request.uri(), "text/markdown", markdown(view)))))
                    .onErrorMap(failure -> io.modelcontextprotocol.spec.McpError.builder(
                                    notFound(failure)
                                            ? McpSchema.ErrorCodes.RESOURCE_NOT_FOUND
                                            : McpSchema.ErrorCodes.INVALID_PARAMS)
                            .message(ToolCalls.message(failure, "resources/read"))
                            .build());
        });
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.status() == 404;
    }

    private Uni<ToolCalls.Result> listBooks(Caller caller, ListBooks arguments) {
        boolean drafts = calls.reader(caller);
        int limit = arguments.limit() == null ? Page.DEFAULT_LIMIT : arguments.limit();
        return books.list(limit, arguments.cursor(), drafts).map(page -> {
            StringBuilder text = new StringBuilder();
            for (BookView book : page.items()) {
                text.append("- ").append(book.slug()).append(": ").append(book.title());
                if (book.description() != null && !book.description().isBlank()) {
                    text.append(" — ").append(book.description());
                }
                text.append('\n');
            }
            return new ToolCalls.Result(page, ToolCalls.paged(text, page, "No books.", "More books"));
        });
    }

    private Uni<ToolCalls.Result> listChapters(Caller caller, ListChapters arguments) {
        boolean drafts = calls.reader(caller);
        int limit = arguments.limit() == null ? Page.DEFAULT_LIMIT : arguments.limit();
        Difficulty difficulty = arguments.difficulty() == null ? null : Difficulty.fromCode(arguments.difficulty());
        return chapters.list(arguments.book(), limit, arguments.cursor(), difficulty, arguments.outcome(), drafts)
                .map(page -> {
                    StringBuilder text = new StringBuilder();
                    for (ChapterSummary chapter : page.items()) {
                        text.append(chapter.number())
                                .append(". ")
                                .append(chapter.title())
                                .append(" (")
                                .append(chapter.slug())
                                .append(", ")
                                .append(chapter.difficulty())
                                .append(")");
                        if (chapter.summary() != null && !chapter.summary().isBlank()) {
                            text.append(" — ").append(chapter.summary());
                        }
                        text.append('\n');
                    }
                    return new ToolCalls.Result(page, ToolCalls.paged(text, page, "No chapters.", "More chapters"));
                });
    }

    private Uni<ToolCalls.Result> readChapter(Caller caller, ReadChapter arguments) {
        return chapter(caller, arguments).map(view -> new ToolCalls.Result(view, markdown(view)));
    }

    private Uni<ToolCalls.Result> readSection(Caller caller, ReadSection arguments) {
        return chapter(caller, new ReadChapter(arguments.book(), arguments.chapter()))
                .map(view -> {
                    SectionView section = view.sections().stream()
                            .filter(s -> s.number() == arguments.section())
                            .findFirst()
                            .orElseThrow(() -> ProblemException.notFound("chapter '" + view.slug() + "' has "
                                    + view.sections().size() + " sections; no section " + arguments.section()));
                    String text = "## " + section.title() + "\n\n"
                            + section.body().strip() + "\n\n"
                            + citation(view) + ", section " + section.number() + " \"" + section.title() + "\" (#"
                            + section.anchor() + ")";
                    return new ToolCalls.Result(
                            new SectionResult(view.book(), view.slug(), view.id(), view.title(), section), text);
                });
    }

    /** A section with what a citation of it needs. */
    record SectionResult(String book, String chapter, UUID chapterId, String chapterTitle, SectionView section) {}

    private Uni<ChapterView> chapter(Caller caller, ReadChapter arguments) {
        boolean drafts = calls.reader(caller);
        UUID id = asId(arguments.chapter());
        return id == null
                ? chapters.get(arguments.book(), arguments.chapter(), drafts)
                : chapters.get(arguments.book(), id, drafts);
    }

    private static UUID asId(String chapter) {
        if (chapter.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(chapter);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The chapter as one Markdown document: title, summary, then each section under its heading. */
    static String markdown(ChapterView chapter) {
        StringBuilder text = new StringBuilder("# ").append(chapter.title()).append("\n\n");
        if (chapter.summary() != null && !chapter.summary().isBlank()) {
            text.append(chapter.summary().strip()).append("\n\n");
        }
        for (SectionView section : chapter.sections()) {
            text.append("## ").append(section.title()).append("\n\n");
            text.append(section.body().strip()).append("\n\n");
        }
        return text.append(citation(chapter)).append('\n').toString();
    }

    private static String citation(ChapterView chapter) {
        return "Source: book " + chapter.book() + ", chapter " + chapter.number() + " \"" + chapter.title() + "\" ("
                + chapter.slug() + ")";
    }
}
