package dev.lectern.catalogue.variants;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.catalogue.variants.VariantService.PersonalizedView;
import dev.lectern.catalogue.variants.VariantService.TranslationView;
import dev.lectern.platform.ExpiringRows;
import dev.lectern.platform.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SQL of chapter variants: each operation one statement on the reactive client. */
@ApplicationScoped
public class VariantStore implements ExpiringRows {

    /**
     * A stored variant with what decides whether it may still be served; {@code chapterDeleted} is true too when the
     * caller may no longer read the chapter (unpublished since).
     */
    record Stored<V>(V view, Instant expiresAt, boolean chapterDeleted, String sourceHash, String currentHash) {}

    private static final Map<Boolean, String> TRANSLATION = Map.of(false, translation(false), true, translation(true));

    private static final Map<Boolean, String> PERSONALIZED =
            Map.of(false, personalized(false), true, personalized(true));

    private final Pool pool;

    public VariantStore(Pool pool) {
        this.pool = pool;
    }

    /** Personalised chapters expire at their expires_at, translations at theirs when they have one. */
    @Override
    public List<Table> expiringTables() {
        return List.of(
                new Table("personalized_content", "id", "expires_at < now()"),
                new Table("chapter_translations", "id", "expires_at IS NOT NULL AND expires_at < now()"));
    }

    /** The content hash of the chapter with this id, if a caller who does (or does not) see drafts may read it. */
    Uni<Optional<String>> visibleChapterHash(UUID chapterId, boolean drafts) {
        return pool.preparedQuery("SELECT content_hash FROM " + VisibleContent.chapters(drafts) + " WHERE id = $1")
                .execute(Tuple.of(chapterId))
                .map(VariantStore::hash);
    }

    /** The content hash of a live chapter of a live book, by slugs. */
    Uni<Optional<String>> liveChapterHash(String book, String chapter) {
        return pool.preparedQuery("SELECT c.content_hash FROM " + VisibleContent.LIVE_CHAPTERS + " c JOIN "
                        + VisibleContent.LIVE_BOOKS + " b ON b.id = c.book_id WHERE b.slug = $1 AND c.slug = $2")
                .execute(Tuple.of(book, chapter))
                .map(VariantStore::hash);
    }

    Uni<PersonalizedView> upsertPersonalized(
            UUID userId, UUID chapterId, String body, String hash, String model, OffsetDateTime expires) {
        return pool.preparedQuery("""
                        INSERT INTO personalized_content (id, user_id, chapter_id, body, source_content_hash, model, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (user_id, chapter_id) DO UPDATE SET body = EXCLUDED.body,
                            source_content_hash = EXCLUDED.source_content_hash, model = EXCLUDED.model,
                            expires_at = EXCLUDED.expires_at, updated_at = now()
                        RETURNING chapter_id, body, source_content_hash, model, expires_at, updated_at""")
                .execute(Tuple.tuple()
                        .addUUID(Ids.newId())
                        .addUUID(userId)
                        .addUUID(chapterId)
                        .addString(body)
                        .addString(hash)
                        .addString(model)
                        .addOffsetDateTime(expires))
                .map(rows -> personalized(rows.iterator().next()));
    }

    Uni<Optional<Stored<PersonalizedView>>> personalized(UUID userId, UUID chapterId, boolean drafts) {
        return pool.preparedQuery(PERSONALIZED.get(drafts))
                .execute(Tuple.of(userId, chapterId))
                .map(rows -> first(rows).map(r -> stored(r, personalized(r))));
    }

    /** The caller's personalised chapters, for the GDPR export. */
    Uni<List<Map<String, Object>>> personalizedOf(UUID userId) {
        return pool.preparedQuery(
                        "SELECT chapter_id, body, source_content_hash, model, expires_at, updated_at FROM personalized_content WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Map<String, Object>> list = new ArrayList<>();
                    rows.forEach(r -> list.add(r.toJson().getMap()));
                    return list;
                });
    }

    /** Stores the translation of a live chapter of a live book; answers the stored row. */
    Uni<TranslationView> upsertTranslation(
            String book,
            String chapter,
            String language,
            String title,
            String body,
            String hash,
            String direction,
            String model,
            OffsetDateTime expires) {
        return pool.preparedQuery("""
                        INSERT INTO chapter_translations (id, chapter_id, language, title, body, source_content_hash, text_direction, model, expires_at)
                        SELECT $1, c.id, $4, $5, $6, $7, $8, $9, $10
                        FROM %s c JOIN %s b ON b.id = c.book_id
                        WHERE b.slug = $2 AND c.slug = $3
                        ON CONFLICT (chapter_id, language) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
                            source_content_hash = EXCLUDED.source_content_hash, text_direction = EXCLUDED.text_direction,
                            model = EXCLUDED.model, expires_at = EXCLUDED.expires_at, updated_at = now()
                        RETURNING language, title, body, text_direction, source_content_hash, model, expires_at, updated_at""".formatted(VisibleContent.LIVE_CHAPTERS, VisibleContent.LIVE_BOOKS))
                .execute(Tuple.tuple()
                        .addUUID(Ids.newId())
                        .addString(book)
                        .addString(chapter)
                        .addString(language)
                        .addString(title)
                        .addString(body)
                        .addString(hash)
                        .addString(direction)
                        .addString(model)
                        .addOffsetDateTime(expires))
                .map(rows -> translation(book, chapter, rows.iterator().next()));
    }

    /** A chapter's stored translation, if the chapter is one the caller may see. */
    Uni<Optional<Stored<TranslationView>>> translation(String book, String chapter, String language, boolean drafts) {
        return pool.preparedQuery(TRANSLATION.get(drafts))
                .execute(Tuple.of(book, chapter, language))
                .map(rows -> first(rows).map(r -> stored(r, translation(book, chapter, r))));
    }

    private static String translation(boolean drafts) {
        return """
                SELECT t.language, t.title, t.body, t.text_direction, t.source_content_hash, t.model, t.expires_at, t.updated_at,
                       c.content_hash AS current_hash, false AS chapter_deleted
                FROM chapter_translations t
                JOIN %s c ON c.id = t.chapter_id
                JOIN %s b ON b.id = c.book_id
                WHERE b.slug = $1 AND c.slug = $2 AND t.language = $3""".formatted(VisibleContent.chapters(drafts), VisibleContent.books(drafts));
    }

    /** A personalised chapter, gone (as if deleted) when the caller may no longer read the chapter. */
    private static String personalized(boolean drafts) {
        return """
                SELECT p.chapter_id, p.body, p.source_content_hash, p.model, p.expires_at, p.updated_at,
                       c.content_hash AS current_hash,
                       NOT EXISTS (SELECT 1 FROM %s v WHERE v.id = c.id) AS chapter_deleted
                FROM personalized_content p JOIN chapters c ON c.id = p.chapter_id
                WHERE p.user_id = $1 AND p.chapter_id = $2""".formatted(VisibleContent.chapters(drafts));
    }

    private static Optional<String> hash(RowSet<Row> rows) {
        return first(rows).map(r -> r.getString("content_hash"));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(rows.iterator().next()) : Optional.empty();
    }

    private static <V> Stored<V> stored(Row r, V view) {
        OffsetDateTime expires = r.getOffsetDateTime("expires_at");
        return new Stored<>(
                view,
                expires == null ? null : expires.toInstant(),
                Boolean.TRUE.equals(r.getBoolean("chapter_deleted")),
                r.getString("source_content_hash"),
                r.getString("current_hash"));
    }

    private static PersonalizedView personalized(Row r) {
        return new PersonalizedView(
                r.getUUID("chapter_id"),
                r.getString("body"),
                r.getString("source_content_hash"),
                r.getString("model"),
                r.getOffsetDateTime("expires_at").toInstant(),
                r.getOffsetDateTime("updated_at").toInstant());
    }

    private static TranslationView translation(String book, String chapter, Row r) {
        return new TranslationView(
                book,
                chapter,
                r.getString("language"),
                r.getString("title"),
                r.getString("body"),
                r.getString("text_direction"),
                r.getString("source_content_hash"),
                r.getString("model"),
                r.getOffsetDateTime("expires_at") == null
                        ? null
                        : r.getOffsetDateTime("expires_at").toInstant(),
                r.getOffsetDateTime("updated_at").toInstant());
    }
}
