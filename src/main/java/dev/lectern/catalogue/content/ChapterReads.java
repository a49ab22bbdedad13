package dev.lectern.catalogue.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lectern.catalogue.ContentConfig;
import dev.lectern.platform.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * Chapter reads, the catalogue's hottest path, served from chapters serialised once. Every read asks PostgreSQL one
 * indexed question, whether the chapter is visible to the caller and at which version (with a fingerprint of its
 * outcome links, which change without a new version); when the kept copy is of that version its bytes are the answer,
 * otherwise the chapter is read as before and kept. So a change on any replica is seen by the next read on every
 * replica, and the answer is byte for byte what serialising the chapter gives. Kept copies are bounded by
 * {@code lectern.content.read-cache-bytes}.
 */
@ApplicationScoped
public class ChapterReads {

    /** The chapter a reader asks for, if visible to them: its id, version and outcome links. */
    private static final String CURRENT = """
            SELECT c.id, c.version, l.links, l.linked
              FROM %s c
              LEFT JOIN LATERAL (SELECT count(*) AS links, max(co.created_at) AS linked
                                   FROM chapter_outcomes co WHERE co.chapter_id = c.id) l ON true
             WHERE c.slug = $2 AND c.book_id = (SELECT b.id FROM %s b WHERE b.slug = $1)""";

    private final Pool pool;
    private final ChapterService chapters;
    private final ObjectMapper json;
    private final Cache<UUID, Serialised> cache;
    private final String currentPublished;
    private final String currentLive;

    /** A chapter as sent: its JSON and its ETag. */
    public record Serialised(Version version, byte[] json, String etag) {}

    /** What a kept copy must match to be current. */
    record Version(UUID id, long version, long links, OffsetDateTime linked) {}

    public ChapterReads(
            Pool pool, ChapterService chapters, ObjectMapper json, ContentConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.chapters = chapters;
        this.json = json;
        this.currentPublished = CURRENT.formatted(VisibleContent.PUBLISHED_CHAPTERS, VisibleContent.LIVE_BOOKS);
        this.currentLive = CURRENT.formatted(VisibleContent.LIVE_CHAPTERS, VisibleContent.LIVE_BOOKS);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.readCacheBytes())
                .weigher((UUID id, Serialised chapter) -> chapter.json().length)
                .recordStats()
                .build();
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(
                metrics, cache, "lectern-chapter-reads");
    }

    /** The chapter as the reader may see it, or a 404 problem. */
    public Uni<Serialised> read(String bookSlug, String chapterSlug, boolean drafts) {
        return pool.preparedQuery(drafts ? currentLive : currentPublished)
                .execute(Tuple.of(bookSlug, chapterSlug))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom()
                                .failure(ProblemException.notFound(
                                        "no chapter '" + chapterSlug + "' in book '" + bookSlug + "'"));
                    }
                    Version current = version(rows.iterator().next());
                    Serialised kept = cache.getIfPresent(current.id());
                    if (kept != null && kept.version().equals(current)) {
                        return Uni.createFrom().item(kept);
                    }
                    return chapters.get(bookSlug, chapterSlug, drafts).map(view -> keep(current, view));
                });
    }

    private Serialised keep(Version current, ChapterViews.ChapterView view) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chapter " + view.id() + " not serialisable", e);
        }
        Serialised serialised = new Serialised(current, bytes, view.etag());
        // Kept only when the row read is the one just checked: a write in between leaves the next read to keep it.
        if (Objects.equals(view.id(), current.id()) && view.version() == current.version()) {
            cache.put(current.id(), serialised);
        }
        return serialised;
    }

    private static Version version(Row row) {
        return new Version(
                row.getUUID("id"), row.getLong("version"), row.getLong("links"), row.getOffsetDateTime("linked"));
    }
}
