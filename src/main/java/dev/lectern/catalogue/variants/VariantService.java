package dev.lectern.catalogue.variants;

import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    private final VariantStore store;
    private final Duration personalizedTtl;
    private final Duration translationTtl;

    public VariantService(VariantStore store, VariantsConfig config) {
        this.store = store;
        this.personalizedTtl = config.personalizedTtl();
        this.translationTtl = config.translationTtl();
    }

    /** Stores a personalised version of a chapter the caller may read; a draft, for a learner, is no chapter. */
    public Uni<PersonalizedView> putPersonalized(
            UUID userId, UUID chapterId, PutPersonalizedRequest request, boolean drafts) {
        OffsetDateTime expires = expiry(request.ttlSeconds(), personalizedTtl);
        return store.visibleChapterHash(chapterId, drafts)
                .map(hash -> hash.orElseThrow(() -> ProblemException.notFound("no chapter " + chapterId)))
                .chain(hash -> {
                    refuseStale(request.sourceContentHash(), hash);
                    return store.upsertPersonalized(userId, chapterId, request.body(), hash, request.model(), expires);
                });
    }

    /** The caller's personalised version, served only while they may read the chapter, fresh and unchanged. */
    public Uni<PersonalizedView> getPersonalized(UUID userId, UUID chapterId, boolean drafts) {
        return store.personalized(userId, chapterId, drafts)
                .map(stored -> fresh(stored, "no personalised version of chapter " + chapterId));
    }

    /** The user's personalised chapters, for the GDPR export. */
    public Uni<List<Map<String, Object>>> personalizedOf(UUID userId) {
        return store.personalizedOf(userId);
    }

    public Uni<TranslationView> putTranslation(
            String book, String chapter, String language, PutTranslationRequest request) {
        OffsetDateTime expires = expiry(request.ttlSeconds(), translationTtl);
        String direction = request.textDirection() != null
                ? request.textDirection()
                : RTL.contains(language.split("-")[0]) ? "rtl" : "ltr";
        return store.liveChapterHash(book, chapter)
                .map(hash -> hash.orElseThrow(
                        () -> ProblemException.notFound("no chapter '" + chapter + "' in book '" + book + "'")))
                .chain(hash -> {
                    refuseStale(request.sourceContentHash(), hash);
                    return store.upsertTranslation(
                            book,
                            chapter,
                            language,
                            request.title().trim(),
                            request.body(),
                            hash,
                            direction,
                            request.model(),
                            expires);
                });
    }

    public Uni<TranslationView> getTranslation(String book, String chapter, String language, boolean drafts) {
        return store.translation(book, chapter, language, drafts)
                .map(stored -> fresh(stored, "no '" + language + "' translation of chapter '" + chapter + "'"));
    }

    /** A stored variant, or the 404 that tells the caller why there is nothing fresh to serve. */
    private static <V> V fresh(java.util.Optional<VariantStore.Stored<V>> found, String notFound) {
        VariantStore.Stored<V> stored = found.orElseThrow(() -> ProblemException.notFound(notFound));
        if (stored.expiresAt() != null && !stored.expiresAt().isAfter(Instant.now())) {
            throw new ProblemException(
                    404,
                    EXPIRED,
                    "Variant expired",
                    "the stored variant expired at " + stored.expiresAt() + "; generate it again",
                    null);
        }
        if (stored.chapterDeleted() || !stored.sourceHash().equals(stored.currentHash())) {
            throw new ProblemException(
                    404,
                    STALE,
                    "Variant stale",
                    "the chapter changed since this variant was generated; generate it again",
                    null);
        }
        return stored.view();
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
}
