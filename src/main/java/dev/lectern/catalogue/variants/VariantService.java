package dev.lectern.catalogue.variants;

import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Personalised and translated chapter variants, cached with the source chapter's content hash and an expiry. A read
 * returns a variant only while it is fresh and its source unchanged; otherwise a 404 whose problem type says
 * {@code variant-expired} or {@code variant-stale}, so the caller knows to regenerate.
 */
@ApplicationScoped
public class VariantService {

    static final String STALE = "variant-stale";
    static final String EXPIRED = "variant-expired";
    /** Scripts written right to left, for the text-direction default of a translation. */
    private static final Set<String> RTL = Set.of("ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi");

    @Schema(name = "PutPersonalized")
    public record PutPersonalizedRequest(
            @NotBlank @Size(max = 5_000_000) @Schema(description = "The personalised chapter, Markdown")
            String body,

            @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be the chapter's contentHash")
            @Schema(
                    description =
                            "The chapter contentHash the variant was generated from; a mismatch is refused as stale")
            String sourceContentHash,

            @Min(60) @Max(7_776_000) @Schema(description = "Seconds until it expires (default 7 days, at most 90)")
            Integer ttlSeconds,

            @Size(max = 200) String model) {}

    @Schema(name = "Personalized")
    public record PersonalizedView(
            UUID chapterId,
            String body,
            String sourceContentHash,
            String model,
            Instant expiresAt,
            Instant updatedAt) {}

    @Schema(name = "PutTranslation")
    public record PutTranslationRequest(
            @NotBlank @Size(max = 300) String title,

            @NotBlank @Size(max = 5_000_000) @Schema(description = "The translated chapter, Markdown")
            String body,

            @Pattern(regexp = "^(ltr|rtl)$", message = "must be ltr or rtl")
            @Schema(description = "Default: rtl for Urdu, Arabic, Persian, Hebrew…, else ltr")
            String textDirection,

            @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be the chapter's contentHash")
            String sourceContentHash,

            @Min(60) @Max(7_776_000) @Schema(description = "Seconds until it expires (default 30 days, at most 90)")
            Integer ttlSeconds,

            @Size(max = 200) String model) {}

    @Schema(name = "Translation")
    public record TranslationView(
            String book,
            String chapter,
            String language,
            String title,
            String body,
            String textDirection,
            String sourceContentHash,
            String model,
            Instant expiresAt,
            Instant updatedAt) {}

    private final Pool pool;
    private final Duration personalizedTtl;
    private final Duration translationTtl;

    public VariantService(
            Pool pool,
            @ConfigProperty(name = "lectern.variants.personalized-ttl", defaultValue = "P7D") Duration personalizedTtl,
            @ConfigProperty(name = "lectern.variants.translation-ttl", defaultValue = "P30D") Duration translationTtl) {
        this.pool = pool;
        this.personalizedTtl = personalizedTtl;
        this.translationTtl = translationTtl;
    }

    public Uni<PersonalizedView> putPersonalized(UUID userId, UUID chapterId, PutPersonalizedRequest request) {
        OffsetDateTime expires = expiry(request.ttlSeconds(), personalizedTtl);
        return currentHash(
                        "SELECT content_hash FROM chapters WHERE id = $1 AND deleted_at IS NULL",
                        Tuple.of(chapterId),
                        "no chapter " + chapterId)
                .chain(hash -> {
                    refuseStale(request.sourceContentHash(), hash);
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
                                    .addString(request.body())
                                    .addString(hash)
                                    .addString(request.model())
                                    .addOffsetDateTime(expires));
                })
                .map(rows -> personalized(rows.iterator().next()));
    }

    public Uni<PersonalizedView> getPersonalized(UUID userId, UUID chapterId) {
        return pool.preparedQuery("""
                SELECT p.chapter_id, p.body, p.source_content_hash, p.model, p.expires_at, p.updated_at,
                       c.content_hash AS current_hash, c.deleted_at IS NOT NULL AS chapter_deleted
                FROM personalized_content p JOIN chapters c ON c.id = p.chapter_id
                WHERE p.user_id = $1 AND p.chapter_id = $2""").execute(Tuple.of(userId, chapterId)).map(rows -> {
            Row r = fresh(
                    rows.iterator().hasNext() ? rows.iterator().next() : null,
                    "no personalised version of chapter " + chapterId);
            return personalized(r);
        });
    }

    public Uni<TranslationView> putTranslation(
            String book, String chapter, String language, PutTranslationRequest request) {
        OffsetDateTime expires = expiry(request.ttlSeconds(), translationTtl);
        String direction = request.textDirection() != null
                ? request.textDirection()
                : RTL.contains(language.split("-")[0]) ? "rtl" : "ltr";
        return currentHash("""
                SELECT c.content_hash FROM chapters c JOIN books b ON b.id = c.book_id
                WHERE b.slug = $1 AND c.slug = $2 AND c.deleted_at IS NULL AND b.deleted_at IS NULL""", Tuple.of(book, chapter), "no chapter '" + chapter + "' in book '" + book + "'")
                .chain(hash -> {
                    refuseStale(request.sourceContentHash(), hash);
                    return pool.preparedQuery("""
                            INSERT INTO chapter_translations (id, chapter_id, language, title, body, source_content_hash, text_direction, model, expires_at)
                            SELECT $1, c.id, $4, $5, $6, $7, $8, $9, $10
                            FROM chapters c JOIN books b ON b.id = c.book_id
                            WHERE b.slug = $2 AND c.slug = $3 AND c.deleted_at IS NULL AND b.deleted_at IS NULL
                            ON CONFLICT (chapter_id, language) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
                                source_content_hash = EXCLUDED.source_content_hash, text_direction = EXCLUDED.text_direction,
                                model = EXCLUDED.model, expires_at = EXCLUDED.expires_at, updated_at = now()
                            RETURNING language, title, body, text_direction, source_content_hash, model, expires_at, updated_at""")
                            .execute(Tuple.tuple()
                                    .addUUID(Ids.newId())
                                    .addString(book)
                                    .addString(chapter)
                                    .addString(language)
                                    .addString(request.title().trim())
                                    .addString(request.body())
                                    .addString(hash)
                                    .addString(direction)
                                    .addString(request.model())
                                    .addOffsetDateTime(expires));
                })
                .map(rows -> translation(book, chapter, rows.iterator().next()));
    }

    public Uni<TranslationView> getTranslation(String book, String chapter, String language, boolean drafts) {
        return pool.preparedQuery("""
                SELECT t.language, t.title, t.body, t.text_direction, t.source_content_hash, t.model, t.expires_at, t.updated_at,
                       c.content_hash AS current_hash, false AS chapter_deleted
                FROM chapter_translations t
                JOIN chapters c ON c.id = t.chapter_id AND c.deleted_at IS NULL AND (c.published OR $4)
                JOIN books b ON b.id = c.book_id AND b.deleted_at IS NULL AND (b.published OR $4)
                WHERE b.slug = $1 AND c.slug = $2 AND t.language = $3""")
                .execute(Tuple.of(book, chapter, language, drafts))
                .map(rows -> translation(
                        book,
                        chapter,
                        fresh(
                                rows.iterator().hasNext() ? rows.iterator().next() : null,
                                "no '" + language + "' translation of chapter '" + chapter + "'")));
    }

    /** A stored variant row, or the 404 that tells the caller why there is nothing fresh to serve. */
    private static Row fresh(Row r, String notFound) {
        if (r == null) {
            throw ProblemException.notFound(notFound);
        }
        OffsetDateTime expires = r.getOffsetDateTime("expires_at");
        if (expires != null && !expires.toInstant().isAfter(Instant.now())) {
            throw new ProblemException(
                    404,
                    EXPIRED,
                    "Variant expired",
                    "the stored variant expired at " + expires.toInstant() + "; generate it again",
                    null);
        }
        if (Boolean.TRUE.equals(r.getBoolean("chapter_deleted"))
                || !r.getString("source_content_hash").equals(r.getString("current_hash"))) {
            throw new ProblemException(
                    404,
                    STALE,
                    "Variant stale",
                    "the chapter changed since this variant was generated; generate it again",
                    null);
        }
        return r;
    }

    private Uni<String> currentHash(String sql, Tuple params, String notFound) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ProblemException.notFound(notFound);
            }
            return rows.iterator().next().getString("content_hash");
        });
    }

    private static void refuseStale(String claimed, String current) {
        if (claimed != null && !claimed.equals(current)) {
            throw new ProblemException(
                    409,
                    STALE,
                    "Variant stale",
                    "the variant was generated from an older version of the chapter; generate it from contentHash "
                            + current,
                    null);
        }
    }

    private static OffsetDateTime expiry(Integer ttlSeconds, Duration fallback) {
        Duration ttl = ttlSeconds == null ? fallback : Duration.ofSeconds(ttlSeconds);
        return OffsetDateTime.now(ZoneOffset.UTC).plus(ttl);
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
