package dev.lectern.index.pipeline;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.index.chunk.Chunk;
import dev.lectern.index.chunk.SectionSource;
import dev.lectern.index.vector.VectorPoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL of the semantic index: chapter snapshots, chunk rows (text, full-text vector, embedding) and the outbox.
 * Native SQL through the Vert.x pool because the statements are the point: upserts, array payloads, SKIP LOCKED.
 */
@ApplicationScoped
public class IndexStore {

    /** One unit of claimed outbox work. */
    public record Work(long id, UUID chapterId, int attempts) {}

    /** A chapter's outcome codes, sorted, for the payload of its points: select list item over chapter alias c. */
    private static final String OUTCOME_CODES = """
            coalesce((SELECT array_agg(o.code ORDER BY o.code) FROM chapter_outcomes co
                      JOIN outcomes o ON o.id = co.outcome_id WHERE co.chapter_id = c.id), '{}') AS outcome_codes
            """;

    /** Whether the chapter is live (neither it nor its book soft-deleted): its points belong in the serving index. */
    private static final String SNAPSHOT = """
            SELECT c.id, c.book_id, c.title, c.difficulty, c.content_hash, b.language,
                   EXISTS (SELECT 1 FROM %s vc WHERE vc.id = c.id) AS live,
            """.formatted(VisibleContent.LIVE_CHAPTERS) + OUTCOME_CODES + """
              FROM chapters c JOIN books b ON b.id = c.book_id
             WHERE c.id = $1""";

    /**
     * The live chapters' stored vectors: the view is tested with EXISTS, not joined, because it joins books itself and
     * this needs the book's language (joined, PostgreSQL plans books twice).
     */
    private static final String LIVE_POINTS = """
            SELECT k.id, k.chapter_id, c.book_id, k.section_number, c.difficulty, b.language, k.embedding,
            """ + OUTCOME_CODES + """
              FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
             WHERE EXISTS (SELECT 1 FROM %s vc WHERE vc.id = c.id) AND k.embedding_model = $1 AND k.embedding_dim = $2
               AND k.id > $3
             ORDER BY k.id LIMIT $4""".formatted(VisibleContent.LIVE_CHAPTERS);

    private final Pool pool;

    public IndexStore(Pool pool) {
        this.pool = pool;
    }

    /** The chapter as it is now, or null when its row is gone (hard-deleted with its book). */
    Uni<ChapterSnapshot> snapshot(UUID chapterId) {
        return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(chapterId)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
            }
            Row r = rows.iterator().next();
            return sections(chapterId)
                    .map(sections -> new ChapterSnapshot(
                            r.getUUID("id"),
                            r.getUUID("book_id"),
                            r.getString("title"),
                            r.getString("difficulty"),
                            r.getString("language"),
                            r.getString("content_hash"),
                            r.getBoolean("live"),
                            outcomeCodes(r),
                            sections));
        });
    }

    private Uni<List<SectionSource>> sections(UUID chapterId) {
        return pool.preparedQuery(
                        "SELECT number, title, anchor, body FROM sections WHERE chapter_id = $1 ORDER BY number")
                .execute(Tuple.of(chapterId))
                .map(rows -> {
                    List<SectionSource> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new SectionSource(
                                r.getInteger("number"),
                                r.getString("title"),
                                r.getString("anchor"),
                                r.getString("body")));
                    }
                    return out;
                });
    }

    Uni<List<StoredChunk>> chunks(UUID chapterId) {
        return pool.preparedQuery("""
                SELECT id, ordinal, section_number, content_hash, embedding, embedding_model
                  FROM chunks WHERE chapter_id = $1 ORDER BY ordinal""").execute(Tuple.of(chapterId)).map(rows -> {
            List<StoredChunk> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new StoredChunk(
                        r.getUUID("id"),
                        r.getInteger("ordinal"),
                        r.getInteger("section_number"),
                        r.getString("content_hash"),
                        vector(r, "embedding"),
                        r.getString("embedding_model")));
            }
            return out;
        });
    }

    /**
     * Replaces a chapter's chunks in one transaction, provided the chapter still has the content the chunks were made
     * from. Answers false when it changed meanwhile: a newer outbox row exists for it (the trigger wrote one), so this
     * work is simply superseded. The chapter row lock serialises two replicas reconciling the same chapter.
     */
    Uni<Boolean> replaceChunks(
            UUID chapterId,
            String contentHash,
            String language,
            List<Chunk> chunks,
            List<UUID> ids,
            List<float[]> vectors,
            String model,
            int dimension) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT content_hash FROM chapters WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(chapterId))
                .chain(rows -> {
                    if (rows.size() == 0
                            || !contentHash.equals(rows.iterator().next().getString("content_hash"))) {
                        return Uni.createFrom().item(false);
                    }
                    // A chunk's id names its chapter, ordinal and content, so a surviving row already sits at its new
                    // ordinal and no insert can collide with one on (chapter_id, ordinal): no reshuffling is needed.
                    return tx.preparedQuery("DELETE FROM chunks WHERE chapter_id = $1 AND NOT (id = ANY($2))")
                            .execute(Tuple.of(chapterId, ids.toArray(UUID[]::new)))
                            .chain(() -> upsert(tx, chapterId, language, chunks, ids, vectors, model, dimension))
                            .replaceWith(true);
                }));
    }

    private static Uni<Void> upsert(
            SqlClient tx,
            UUID chapterId,
            String language,
            List<Chunk> chunks,
            List<UUID> ids,
            List<float[]> vectors,
            String model,
            int dimension) {
        if (chunks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            float[] v = vectors.get(i);
            batch.add(Tuple.tuple(List.of(
                    ids.get(i),
                    chapterId,
                    c.ordinal(),
                    c.sectionNumber(),
                    c.anchor(),
                    c.headingPath().toArray(String[]::new),
                    c.text(),
                    c.tokenCount(),
                    c.contentHash(),
                    language,
                    boxed(v),
                    model,
                    dimension)));
        }
        return tx.preparedQuery("""
                WITH cfg AS (SELECT (CASE WHEN %s THEN 'english' ELSE 'simple' END)::regconfig AS config)
                INSERT INTO chunks (id, chapter_id, ordinal, section_number, anchor, heading_path, text, token_count, content_hash,
                                    search_vector, embedding, embedding_model, embedding_dim)
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9,
                       setweight(to_tsvector(cfg.config, array_to_string($6::text[], ' ')), 'A')
                           || setweight(to_tsvector(cfg.config, $7), 'B'),
                       $11, $12, $13
                  FROM cfg
                ON CONFLICT (id) DO UPDATE SET ordinal = EXCLUDED.ordinal, section_number = EXCLUDED.section_number,
                        anchor = EXCLUDED.anchor, heading_path = EXCLUDED.heading_path, search_vector = EXCLUDED.search_vector,
                        embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model,
                        embedding_dim = EXCLUDED.embedding_dim, updated_at = now()
                  -- An unchanged passage (a rebuild, an outcome link, an edit elsewhere in the chapter) is not rewritten:
                  -- no dead row version, no index churn. A rebuild of ~66k chunks left 131,838 dead rows before.
                  WHERE (chunks.section_number, chunks.anchor, chunks.heading_path, chunks.search_vector, chunks.embedding,
                         chunks.embedding_model, chunks.embedding_dim)
                        IS DISTINCT FROM (EXCLUDED.section_number, EXCLUDED.anchor, EXCLUDED.heading_path, EXCLUDED.search_vector,
                                          EXCLUDED.embedding, EXCLUDED.embedding_model, EXCLUDED.embedding_dim)""".formatted(english("$10::text")))
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /**
     * One keyset-paged batch of the stored vectors of the current model, with their payloads, of live chapters (drafts
     * included: the serving index holds every live chapter, search re-checks visibility when it hydrates hits).
     */
    Uni<List<VectorPoint>> livePoints(String model, int dimension, UUID after, int limit) {
        return pool.preparedQuery(LIVE_POINTS)
                .execute(Tuple.of(model, dimension, after, limit))
                .map(rows -> {
                    List<VectorPoint> points = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        points.add(new VectorPoint(
                                r.getUUID("id"),
                                vector(r, "embedding"),
                                r.getUUID("book_id"),
                                r.getUUID("chapter_id"),
                                r.getInteger("section_number"),
                                r.getString("difficulty"),
                                r.getString("language"),
                                outcomeCodes(r)));
                    }
                    return points;
                });
    }

    /** Every chapter (deleted ones too: reconciling them removes their points), or those of books with this slug. */
    Uni<List<UUID>> chapterIds(String bookSlug) {
        return pool.preparedQuery("""
                SELECT c.id FROM chapters c JOIN books b ON b.id = c.book_id
                 WHERE $1::text IS NULL OR b.slug = $1 ORDER BY c.id""").execute(Tuple.of(bookSlug)).map(rows -> {
            List<UUID> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(r.getUUID(0)));
            return out;
        });
    }

    // ---- outbox ----

    /**
     * Claims up to {@code limit} due rows with a lease, skipping rows another replica holds and chapters another
     * replica is working on. The lease (not an open transaction) protects the work while it embeds, which can take
     * seconds; a replica that dies simply lets its lease run out.
     */
    public Uni<List<Work>> claim(int limit, Duration lease) {
        return pool.preparedQuery("""
                UPDATE index_outbox o SET claimed_until = now() + $2 * interval '1 millisecond', attempts = o.attempts + 1
                 WHERE o.id IN (SELECT q.id FROM index_outbox q
                                 WHERE q.available_at <= now() AND (q.claimed_until IS NULL OR q.claimed_until < now())
                                   AND NOT EXISTS (SELECT 1 FROM index_outbox h WHERE h.chapter_id = q.chapter_id
                                                      AND h.claimed_until >= now())
                                 ORDER BY q.id LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING o.id, o.chapter_id, o.attempts""")
                .execute(Tuple.of(limit, lease.toMillis()))
                .map(rows -> {
                    List<Work> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new Work(r.getLong("id"), r.getUUID("chapter_id"), r.getInteger("attempts")));
                    }
                    return out;
                });
    }

    /**
     * Done: deletes exactly the claimed rows. Not "every older row of the chapter": a row with a smaller id can commit
     * after the claim (ids are taken at insert, visibility comes at commit), and deleting it would lose that change.
     */
    public Uni<Void> complete(List<Long> ids) {
        return pool.preparedQuery("DELETE FROM index_outbox WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> retryLater(List<Long> ids, Duration backoff, String error) {
        String message = error == null ? "unknown error" : error.length() > 2000 ? error.substring(0, 2000) : error;
        return pool.preparedQuery("""
                UPDATE index_outbox SET claimed_until = NULL, available_at = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = ANY($1)""")
                .execute(Tuple.of(ids.toArray(Long[]::new), backoff.toMillis(), message))
                .replaceWithVoid();
    }

    /** Rows waiting and the age in seconds of the oldest (0 when empty): the outbox depth and index lag metrics. */
    public Uni<long[]> depthAndLag() {
        return pool.query(
                        "SELECT count(*), coalesce(extract(epoch FROM now() - min(enqueued_at)), 0) FROM index_outbox")
                .execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new long[] {r.getLong(0), (long) Math.ceil(r.getDouble(1))};
                });
    }

    /** Enqueues every chapter (a rebuild after a model change makes every chapter's work re-embed). */
    public Uni<Long> enqueueAll() {
        return pool.query("INSERT INTO index_outbox (chapter_id) SELECT id FROM chapters ORDER BY id")
                .execute()
                .map(rows -> (long) rows.rowCount());
    }

    /** Chapters whose stored vectors come from another model, enqueued unless already waiting; answers how many. */
    Uni<Integer> enqueueOtherModels(String model) {
        return pool.preparedQuery("""
                INSERT INTO index_outbox (chapter_id)
                SELECT DISTINCT chapter_id FROM chunks WHERE embedding_model IS DISTINCT FROM $1
                   AND NOT EXISTS (SELECT 1 FROM index_outbox o WHERE o.chapter_id = chunks.chapter_id)""").execute(Tuple.of(model)).map(rows -> rows.rowCount());
    }

    static UUID chunkId(UUID chapterId, Chunk chunk) {
        // Name-based: the same passage at the same place of the same chapter keeps its id, so point upserts are
        // idempotent.
        return UUID.nameUUIDFromBytes(
                (chapterId + "/" + chunk.ordinal() + "/" + chunk.contentHash()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SQL true for a book language indexed (and searched) with PostgreSQL's english configuration, the others with
     * simple: the one definition both the chunk writer and full-text search use, so the two cannot drift apart.
     */
    public static String english(String languageExpression) {
        return "(" + languageExpression + " = 'en' OR " + languageExpression + " LIKE 'en-%')";
    }

    private static List<String> outcomeCodes(Row row) {
        return List.of(row.getArrayOfStrings("outcome_codes"));
    }

    public static float[] vector(Row row, String column) {
        Float[] boxed = row.getArrayOfFloats(column);
        if (boxed == null) {
            return null;
        }
        float[] out = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
