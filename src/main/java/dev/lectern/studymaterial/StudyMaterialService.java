package dev.lectern.studymaterial;

import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.catalogue.curriculum.FrameworkService;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.progress.review.FlashcardService;
import dev.lectern.studymaterial.StudyMaterialViews.CreateGeneratedRequest;
import dev.lectern.studymaterial.StudyMaterialViews.GeneratedView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * AI-generated study material: validated per type, measured on write, filtered and full-text searched on read. The
 * statements are in {@link StudyMaterialStore}.
 */
@ApplicationScoped
public class StudyMaterialService {

    /** Filters of the list; null means "any". */
    public record Filter(String type, String audience, String tag, UUID chapter, String query) {}

    private static final String CURSOR_KIND = "generated";

    private final StudyMaterialStore store;
    private final FrameworkService frameworks;
    private final ChapterService chapters;
    private final FlashcardService flashcards;

    public StudyMaterialService(
            StudyMaterialStore store,
            FrameworkService frameworks,
            ChapterService chapters,
            FlashcardService flashcards) {
        this.store = store;
        this.frameworks = frameworks;
        this.chapters = chapters;
        this.flashcards = flashcards;
    }

    public Uni<GeneratedView> create(UUID userId, CreateGeneratedRequest request, boolean drafts) {
        StudyMaterialBodies.Measured measured = StudyMaterialBodies.measure(request.contentType(), request.body());
        List<UUID> chapterIds = request.chapterIds() == null
                ? List.of()
                : request.chapterIds().stream().distinct().toList();
        List<String> outcomeRefs = request.outcomes() == null
                ? List.of()
                : request.outcomes().stream().distinct().toList();
        return checkChapters(chapterIds, drafts)
                .chain(() -> Multi.createFrom()
                        .iterable(outcomeRefs)
                        .onItem()
                        .transformToUniAndConcatenate(ref -> frameworks.resolveOutcomeId(ref, "outcomes"))
                        .collect()
                        .asList())
                .chain(outcomeIds -> store.insert(userId, request, measured, chapterIds, outcomeIds));
    }

    public Uni<GeneratedView> get(UUID id, UUID callerId, boolean admin) {
        return owned(id, callerId, admin).map(StudyMaterialStore.Owned::view);
    }

    public Uni<Void> delete(UUID id, UUID callerId, boolean admin) {
        return store.delete(id, callerId, admin).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** The caller's material, newest first, filtered by type, audience, tag, chapter and full text on topic; one query. */
    public Uni<Page<GeneratedView>> list(UUID userId, Filter filter, int limit, String cursor) {
        Instant afterCreated = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, CURSOR_KIND, 2);
            afterCreated = Cursor.timestampKey(key.get(0)).toInstant();
            afterId = Cursor.uuidKey(key.get(1));
        }
        return store.page(userId, filter, afterCreated, afterId, limit + 1)
                .map(rows -> Page.of(
                        rows,
                        limit,
                        v -> v,
                        v -> Cursor.encode(CURSOR_KIND, v.createdAt().atOffset(java.time.ZoneOffset.UTC), v.id())));
    }

    /**
     * Turns a flashcard set into review items (one per card) in one statement; idempotent (see createCards). The items
     * link the set's first chapter only while the caller may read it: a chapter unpublished since the set was stored
     * is not linked.
     */
    public Uni<FlashcardService.CreatedCards> toReviewItems(UUID id, UUID callerId, boolean admin, boolean drafts) {
        return owned(id, callerId, admin).chain(found -> {
            GeneratedView material = found.view();
            if (!"flashcards".equals(material.contentType())) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                409,
                                "not-flashcards",
                                "Not flashcards",
                                "only a flashcards set can become review items; this is a " + material.contentType(),
                                null));
            }
            StudyMaterialBodies.Measured measured = StudyMaterialBodies.measure("flashcards", material.body());
            List<UUID> outcomeIds = material.outcomeIds();
            return readableFirstChapter(material.chapterIds(), drafts)
                    .chain(chapterId -> flashcards.createCards(
                            id,
                            found.userId(),
                            measured.cards(),
                            chapterId,
                            outcomeIds.isEmpty() ? null : outcomeIds.get(0)));
        });
    }

    /** Everything generated by the user, for the GDPR export. */
    public Uni<List<GeneratedView>> export(UUID userId) {
        return store.ofUser(userId);
    }

    private Uni<StudyMaterialStore.Owned> owned(UUID id, UUID callerId, boolean admin) {
        return store.find(id, callerId, admin).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /**
     * Every linked chapter must be one the caller may read (drafts only for those who see drafts): the catalogue
     * answers for all of them in one statement, and a draft is refused exactly as a chapter that does not exist.
     */
    private Uni<Void> checkChapters(List<UUID> chapterIds, boolean drafts) {
        if (chapterIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return chapters.visibleIds(chapterIds, drafts).map(found -> {
            if (found.size() != chapterIds.size()) {
                throw ProblemException.invalid("chapterIds", "names a chapter that does not exist");
            }
            return null;
        });
    }

    /** The first of these chapters if the caller may read it, else null. */
    private Uni<UUID> readableFirstChapter(List<UUID> chapterIds, boolean drafts) {
        if (chapterIds.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        UUID first = chapterIds.get(0);
        return chapters.visible(first, drafts).map(readable -> readable ? first : null);
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no generated material " + id);
    }
}
