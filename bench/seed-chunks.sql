-- Seeds about 50,000 chunks straight in SQL, for the search-latency runs (bench/search.sh), without embedding them.
--
--   psql -X -d DB -f bench/seed-chunks.sql                       # 848 copies of the sample book: 848 x 59 = 50,032 chunks
--   psql -X -d DB -f bench/seed-chunks.sql -v copies=100 -v amp=0.05
--
-- Embedding 50,000 chunks through the in-process model takes 20+ minutes on two cores, so this copies the sample
-- book's real chunks instead: every live chapter of 'ros2-fundamentals' becomes :copies chapters of the published book
-- 'search-bench-synthetic' (same sections, same chunk text, heading path, tsvector, model and dimension). Each copied
-- vector gets uniform noise in [-amp/2, amp/2] per dimension and is renormalised (amp 0.05: cosine about 0.96 to its
-- original), so no two points are equal and the dense ranking is not a tie between copies. The full-text side sees
-- :copies identical copies of every passage.
--
-- Chunk ids are IndexStore.chunkId's name-based UUIDs, and the chapters keep their sections and content hashes, so a
-- rebuild (POST /api/v1/admin/index/rebuild) reconciles them without re-embedding and pushes the perturbed vectors as
-- they are. The outbox rows the chapter trigger writes are removed in the same transaction: nothing re-embeds them.
-- Run it once the sample book is indexed (outboxDepth 0); then restart the service so the in-process index loads them.
\set ON_ERROR_STOP 1
\if :{?copies}
\else
\set copies 848
\endif
\if :{?amp}
\else
\set amp 0.05
\endif

BEGIN;

-- IndexStore.chunkId: UUID.nameUUIDFromBytes(chapterId + "/" + ordinal + "/" + contentHash), i.e. MD5, version 3.
CREATE FUNCTION pg_temp.chunk_id(chapter uuid, ordinal int, hash text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT (substr(h, 1, 12) || '3' || substr(h, 14, 3)
            || to_hex((('x' || substr(h, 17, 1))::bit(4)::int & 3) | 8) || substr(h, 18))::uuid
      FROM md5(chapter::text || '/' || ordinal || '/' || hash) h $$;

CREATE FUNCTION pg_temp.perturb(v real[], amp float8) RETURNS real[] LANGUAGE sql VOLATILE AS $$
    WITH p AS (SELECT i, e + (random() - 0.5) * amp AS x FROM unnest(v) WITH ORDINALITY u(e, i))
    SELECT array_agg((x / (SELECT sqrt(sum(x * x)) FROM p))::real ORDER BY i) FROM p $$;

CREATE TEMP TABLE src ON COMMIT DROP AS
    SELECT c.* FROM chapters c JOIN books b ON b.id = c.book_id
     WHERE b.slug = 'ros2-fundamentals' AND b.deleted_at IS NULL AND c.deleted_at IS NULL;

INSERT INTO books (id, slug, title, description, language, published)
VALUES (gen_random_uuid(), 'search-bench-synthetic', 'Synthetic search bench',
        'Copies of the sample book with perturbed vectors (bench/seed-chunks.sql)', 'en', true);

CREATE TEMP TABLE copy ON COMMIT DROP AS
    SELECT gen_random_uuid() AS id, s.id AS src_id, n FROM src s, generate_series(1, :copies) n;

INSERT INTO chapters (id, book_id, slug, number, title, summary, difficulty, estimated_reading_minutes, author, published,
                      published_at, body, content_hash)
SELECT m.id, (SELECT id FROM books WHERE slug = 'search-bench-synthetic' AND deleted_at IS NULL), s.slug || '-' || m.n,
       m.n * 10 + s.number, s.title, s.summary, s.difficulty, s.estimated_reading_minutes, s.author, true, now(), s.body,
       s.content_hash
  FROM copy m JOIN src s ON s.id = m.src_id;

INSERT INTO sections (id, chapter_id, number, title, anchor, body)
SELECT gen_random_uuid(), m.id, x.number, x.title, x.anchor, x.body FROM copy m JOIN sections x ON x.chapter_id = m.src_id;

INSERT INTO chunks (id, chapter_id, ordinal, section_number, anchor, heading_path, text, token_count, content_hash,
                    search_vector, embedding, embedding_model, embedding_dim)
SELECT pg_temp.chunk_id(m.id, k.ordinal, k.content_hash), m.id, k.ordinal, k.section_number, k.anchor, k.heading_path,
       k.text, k.token_count, k.content_hash, k.search_vector, pg_temp.perturb(k.embedding, :amp), k.embedding_model,
       k.embedding_dim
  FROM copy m JOIN chunks k ON k.chapter_id = m.src_id;

DELETE FROM index_outbox WHERE chapter_id IN (SELECT id FROM copy);

COMMIT;

-- books too: a handful of rows never reaches autovacuum's threshold, and without statistics the planner takes the
-- book join for ~1 row and scans every chunk's tsvector per chapter instead of the GIN index (485 ms vs 5 ms).
VACUUM ANALYZE books;
VACUUM ANALYZE chapters;
VACUUM ANALYZE sections;
VACUUM ANALYZE chunks;

SELECT b.slug AS book, count(DISTINCT c.id) AS chapters, count(k.id) AS chunks
  FROM books b JOIN chapters c ON c.book_id = b.id LEFT JOIN chunks k ON k.chapter_id = c.id
 GROUP BY b.slug ORDER BY b.slug;
