package dev.lectern.catalogue.content;

import dev.lectern.catalogue.content.ChapterViews.ChapterSummary;
import dev.lectern.catalogue.content.ChapterViews.ChapterView;
import dev.lectern.catalogue.content.ChapterViews.Upsert;
import dev.lectern.catalogue.curriculum.Outcome;
import dev.lectern.catalogue.curriculum.OutcomeReferences;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Offload;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Storable;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import dev.lectern.platform.UncancellableTransactionInterceptor;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Chapters: Markdown upload (create or update, idempotent on identical content), reads, lists, soft delete.
 */
@ApplicationScoped
public class ChapterService {

    /** Documents above this size are parsed on a worker thread so a large upload never stalls the event loop. */
    private static final int PARSE_OFF_LOOP_CHARS = 64 * 1024;

    private static final String CURSOR_KIND = "chapters";

    private final MarkdownChapterParser parser;
    private final BookService bookService;
    private final ChapterRepository chapters;
    private final SectionRepository sections;
    private final OutcomeReferences outcomeReferences;
    private final VisibleContentStore visibility;

    public ChapterService(
            MarkdownChapterParser parser,
            BookService bookService,
            ChapterRepository chapters,
            SectionRepository sections,
            OutcomeReferences outcomeReferences,
            VisibleContentStore visibility) {
        this.parser = parser;
        this.bookService = bookService;
        this.chapters = chapters;
        this.sections = sections;
        this.outcomeReferences = outcomeReferences;
        this.visibility = visibility;
    }

    /** Parses the document (off the event loop when large) and stores it in one transaction. */
    public Uni<Upsert> upsert(String bookSlug, String chapterSlug, String markdown) {
        return parse(markdown)
                .chain(parsed -> UncancellableTransactionInterceptor.run(() -> store(bookSlug, chapterSlug, parsed)));
    }

    /** Parses a document; one PostgreSQL cannot store (a NUL byte) is refused first, whatever way it came in. */
    public Uni<ParsedChapter> parse(String markdown) {
        String defect = Storable.textDefect(markdown);
        if (defect != null) {
            return Uni.createFrom().failure(ProblemException.invalid("body", "the Markdown document " + defect));
        }
        if (markdown.length() < PARSE_OFF_LOOP_CHARS) {
            return Uni.createFrom().item(() -> parser.parse(markdown));
        }
        return Offload.toWorker(() -> parser.parse(markdown));
    }

    /** Stores a parsed chapter; must run inside a transaction. */
    public Uni<Upsert> store(String bookSlug, String chapterSlug, ParsedChapter parsed) {
        return store(bookSlug, chapterSlug, parsed, null, Set.of());
    }

    /**
     * Stores a parsed chapter; must run inside a transaction. An imported page ({@code sourcePath} given) updates the
     * chapter it became before, found by its path, else by slug (a page that moved keeps its chapter, unless the page
     * that chapter came from is still part of the import, {@code importedPaths}): its content, its number, and its
     * slug and path if they changed. Nothing is written when nothing changed.
     */
    public Uni<Upsert> store(
            String bookSlug, String chapterSlug, ParsedChapter parsed, String sourcePath, Set<String> importedPaths) {
        return bookService
                .live(bookSlug)
                .chain(book -> existing(book.id, chapterSlug, sourcePath, importedPaths)
                        .chain(existing -> {
                            if (existing != null && existing.deletedAt != null) {
                                return Uni.createFrom()
                                        .failure(ProblemException.conflict("chapter '" + existing.slug
                                                + "' is deleted; restore it with POST .../restore before updating it"));
                            }
                            if (existing != null && existing.contentHash.equals(parsed.contentHash())) {
                                boolean moved = relocate(existing, chapterSlug, parsed.number(), sourcePath);
                                Uni<Void> flushed = moved
                                        ? chapters.flush().replaceWithVoid()
                                        : Uni.createFrom().voidItem();
                                return flushed.chain(() -> sections.ofChapter(existing.id))
                                        .map(s -> new Upsert(
                                                ChapterViews.view(bookSlug, existing, codes(existing), s),
                                                false,
                                                moved));
                            }
                            return outcomeReferences
                                    .resolve(parsed.outcomes())
                                    .chain(linked -> numberFor(book.id, parsed, existing)
                                            .chain(number -> write(
                                                    book, chapterSlug, sourcePath, parsed, existing, linked, number)));
                        }));
    }

    /** The chapter a document updates: an imported page's by its path first, then the one with the slug. */
    private Uni<Chapter> existing(UUID bookId, String chapterSlug, String sourcePath, Set<String> importedPaths) {
        if (sourcePath == null) {
            return chapters.findWithOutcomes(bookId, chapterSlug);
        }
        return chapters.findBySourcePath(bookId, sourcePath)
                .chain(byPath -> byPath != null
                        ? Uni.createFrom().item(byPath)
                        : chapters.findWithOutcomes(bookId, chapterSlug)
                                // The chapter with this slug is another page's while that page is still imported.
                                .map(bySlug ->
                                        bySlug != null && importedPaths.contains(bySlug.sourcePath) ? null : bySlug));
    }

    /** Moves an unchanged chapter to its new place (number, slug, source path); answers whether anything moved. */
    private static boolean relocate(Chapter chapter, String slug, Integer number, String sourcePath) {
        boolean moved = false;
        if (number != null && number != chapter.number) {
            chapter.number = number;
            moved = true;
        }
        if (sourcePath != null && !slug.equals(chapter.slug)) {
            chapter.slug = slug;
            moved = true;
        }
        if (sourcePath != null && !sourcePath.equals(chapter.sourcePath)) {
            chapter.sourcePath = sourcePath;
            moved = true;
        }
        if (moved) {
            chapter.updatedAt = Timestamps.now();
        }
        return moved;
    }

    private Uni<Upsert> write(
            Book book,
            String chapterSlug,
            String sourcePath,
            ParsedChapter parsed,
            Chapter existing,
            Set<Outcome> linked,
            int number) {
        Instant now = Timestamps.now();
        boolean created = existing == null;
        Chapter chapter = created ? new Chapter() : existing;
        if (created) {
            chapter.id = Ids.newId();
            chapter.bookId = book.id;
            chapter.createdAt = now;
        }
        if (created || sourcePath != null) {
            chapter.slug = chapterSlug;
        }
        if (sourcePath != null) {
            chapter.sourcePath = sourcePath;
        }
        chapter.number = number;
        chapter.title = parsed.title();
        chapter.summary = parsed.summary();
        chapter.difficulty = (parsed.difficulty() == null ? Difficulty.BEGINNER : parsed.difficulty()).code();
        chapter.estimatedReadingMinutes = parsed.estimatedReadingMinutes();
        chapter.author = parsed.author();
        chapter.published = parsed.published() == null || parsed.published();
        if (chapter.published && chapter.publishedAt == null) {
            chapter.publishedAt = now;
        }
        chapter.body = parsed.body();
        chapter.contentHash = parsed.contentHash();
        chapter.updatedAt = now;
        chapter.outcomes.clear();
        chapter.outcomes.addAll(linked);

        List<Section> rows = new ArrayList<>();
        for (ParsedChapter.Section s : parsed.sections()) {
            Section section = new Section();
            section.id = Ids.newId();
            section.chapterId = chapter.id;
            section.number = s.number();
            section.title = s.title();
            section.anchor = s.anchor();
            section.body = s.body();
            section.createdAt = now;
            section.updatedAt = now;
            rows.add(section);
        }
        Uni<Void> clearOld = created
                ? Uni.createFrom().voidItem()
                : sections.deleteOfChapter(chapter.id).replaceWithVoid();
        Uni<Chapter> saved =
                created ? chapters.persist(chapter) : Uni.createFrom().item(chapter);
        return clearOld.chain(() -> saved)
                .call(() -> sections.persist(rows))
                .call(chapters::flush)
                .map(c -> new Upsert(ChapterViews.view(book.slug, c, codes(c), rows), created, true));
    }

    @WithSession
    public Uni<ChapterView> get(String bookSlug, String chapterSlug, boolean drafts) {
        return view(bookSlug, chapterSlug, chapters.findVisible(bookSlug, chapterSlug, drafts));
    }

    /** A chapter by its id within its book, as search hits and context sources name it. */
    @WithSession
    public Uni<ChapterView> get(String bookSlug, UUID chapterId, boolean drafts) {
        return view(bookSlug, chapterId.toString(), chapters.findVisible(bookSlug, chapterId, drafts));
    }

    private Uni<ChapterView> view(String bookSlug, String chapter, Uni<Chapter> found) {
        return found.onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no chapter '" + chapter + "' in book '" + bookSlug + "'"))
                .chain(c -> sections.ofChapter(c.id).map(s -> ChapterViews.view(bookSlug, c, codes(c), s)));
    }

    @WithSession
    public Uni<Page<ChapterSummary>> list(
            String bookSlug, int limit, String cursor, Difficulty difficulty, String outcome, boolean drafts) {
        Integer afterNumber = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, CURSOR_KIND, 2);
            afterNumber = Cursor.intKey(key.get(0));
            afterId = Cursor.uuidKey(key.get(1));
        }
        Integer n = afterNumber;
        UUID id = afterId;
        return bookService
                .visible(bookSlug, drafts)
                .chain(book -> chapters.pageAfter(
                        book.id, n, id, difficulty == null ? null : difficulty.code(), outcome, drafts, limit))
                .chain(rows -> chapters.outcomeCodes(rows.stream()
                                .limit(limit)
                                .map(ChapterRepository.ListRow::id)
                                .toList())
                        .map(codes -> page(rows, limit, codes)));
    }

    private static Page<ChapterSummary> page(
            List<ChapterRepository.ListRow> rows, int limit, Map<UUID, List<String>> codes) {
        return Page.of(
                rows,
                limit,
                c -> ChapterViews.summary(c, codes.getOrDefault(c.id(), List.of())),
                c -> Cursor.encode(CURSOR_KIND, c.number(), c.id()));
    }

    /**
     * Does each of these chapters exist, and may a caller who does (or does not) see drafts see it: the ids among
     * {@code chapterIds} that name such a chapter. The one answer to the question for every feature that links to
     * chapters; one statement whatever the number of ids.
     */
    public Uni<Set<UUID>> visibleIds(Collection<UUID> chapterIds, boolean drafts) {
        return visibility.chapterIds(chapterIds, drafts);
    }

    /** Whether this chapter exists and a caller who does (or does not) see drafts may see it. */
    public Uni<Boolean> visible(UUID chapterId, boolean drafts) {
        return visibleIds(List.of(chapterId), drafts).map(found -> found.contains(chapterId));
    }

    @UncancellableTransaction
    public Uni<Void> delete(String bookSlug, String chapterSlug) {
        return chapters.findLive(bookSlug, chapterSlug)
                .onItem()
                .ifNull()
                .failWith(
                        () -> ProblemException.notFound("no chapter '" + chapterSlug + "' in book '" + bookSlug + "'"))
                .invoke(c -> {
                    c.deletedAt = Timestamps.now();
                })
                .replaceWithVoid();
    }

    @UncancellableTransaction
    public Uni<ChapterView> restore(String bookSlug, String chapterSlug) {
        return bookService
                .live(bookSlug)
                .chain(book -> chapters.findWithOutcomes(book.id, chapterSlug)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound(
                                "no chapter '" + chapterSlug + "' in book '" + bookSlug + "'"))
                        .invoke(c -> c.deletedAt = null)
                        .call(chapters::flush)
                        .chain(c -> sections.ofChapter(c.id).map(s -> ChapterViews.view(bookSlug, c, codes(c), s))));
    }

    private Uni<Integer> numberFor(UUID bookId, ParsedChapter parsed, Chapter existing) {
        if (parsed.number() != null) {
            return Uni.createFrom().item(parsed.number());
        }
        if (existing != null) {
            return Uni.createFrom().item(existing.number);
        }
        return chapters.nextNumber(bookId);
    }

    private static List<String> codes(Chapter chapter) {
        return chapter.outcomes.stream()
                .map(o -> o.code)
                .sorted(Comparator.naturalOrder())
                .toList();
    }
}
