-- pgbench: what Lectern sends for a warm anonymous chapter read (GET /api/v1/books/{book}/chapters/{chapter}) since
-- ChapterReads keeps chapters serialised: one statement, is the chapter visible and at which version (with its
-- outcome links' fingerprint); the kept JSON answers. A cold read (first read of a version) also sends the two
-- statements of bench/chapter-read.sql. Same text as dev.lectern.catalogue.content.ChapterReads, the views expanded
-- by PostgreSQL as for the service. Variables: -D book=<book slug> -D chapters=<N>; chapters are ch-1 .. ch-N.
\set n random(1, :chapters)
SELECT c.id, c.version, l.links, l.linked
  FROM published_chapters c
  LEFT JOIN LATERAL (SELECT count(*) AS links, max(co.created_at) AS linked
                       FROM chapter_outcomes co WHERE co.chapter_id = c.id) l ON true
 WHERE c.slug = 'ch-' || :n AND c.book_id = (SELECT b.id FROM live_books b WHERE b.slug = :book);
