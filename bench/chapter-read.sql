-- pgbench: the anonymous chapter point read, as the two statements a plain implementation sends (the Node peer;
-- Lectern on a cold read, before ChapterReads keeps the chapter: its warm reads send bench/chapter-read-check.sql) for
-- GET /api/v1/books/{book}/chapters/{chapter} (as PostgreSQL logs them for the service with log_statement=all;
-- bench/peers/node sends the same text):
-- 1. the live, published chapter of a live, published book by book slug + chapter slug, left-joined to its
--    outcomes (the published conditions sit inside the book subselect, where Hibernate puts them);
-- 2. its sections in number order.
-- Variables: -D book=<book slug> -D chapters=<N>; chapters are seeded as ch-1 .. ch-N.
-- Differences from the service's SQL: column aliases (\gset needs distinct names) and 'ch-' || :n
-- to build the slug; the plans and the rows returned (including chapters.body) are the same.
\set n random(1, :chapters)
SELECT c1_0.id AS chapter_id, c1_0.author, c1_0.body, c1_0.book_id, c1_0.content_hash, c1_0.created_at,
       c1_0.deleted_at, c1_0.difficulty, c1_0.estimated_reading_minutes, c1_0.number,
       o1_0.chapter_id AS o_chapter_id, o1_1.id AS o_id, o1_1.code AS o_code, o1_1.created_at AS o_created_at,
       o1_1.description AS o_description, o1_1.framework_id AS o_framework_id, o1_1.stage AS o_stage,
       o1_1.subject_id AS o_subject_id, o1_1.updated_at AS o_updated_at,
       c1_0.published, c1_0.published_at, c1_0.slug, c1_0.source_path, c1_0.summary, c1_0.title, c1_0.updated_at,
       c1_0.version
FROM chapters c1_0
LEFT JOIN chapter_outcomes o1_0 ON c1_0.id = o1_0.chapter_id
LEFT JOIN outcomes o1_1 ON o1_1.id = o1_0.outcome_id
WHERE c1_0.slug = 'ch-' || :n AND c1_0.deleted_at IS NULL
  AND c1_0.book_id = (SELECT b1_0.id FROM books b1_0 WHERE b1_0.slug = :book AND b1_0.deleted_at IS NULL
                      AND c1_0.published = true AND b1_0.published = true)
\gset
SELECT s1_0.id, s1_0.anchor, s1_0.body, s1_0.chapter_id, s1_0.created_at, s1_0.number, s1_0.title, s1_0.updated_at
FROM sections s1_0
WHERE s1_0.chapter_id = :chapter_id
ORDER BY s1_0.number;
