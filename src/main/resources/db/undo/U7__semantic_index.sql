-- Inverse of V7__semantic_index.sql.
DROP TABLE IF EXISTS index_jobs;
DROP TRIGGER IF EXISTS books_index_outbox ON books;
DROP TRIGGER IF EXISTS chapter_outcomes_index_outbox ON chapter_outcomes;
DROP TRIGGER IF EXISTS chapters_index_outbox ON chapters;
DROP FUNCTION IF EXISTS index_outbox_enqueue_book();
DROP FUNCTION IF EXISTS index_outbox_enqueue_chapter_outcome();
DROP FUNCTION IF EXISTS index_outbox_enqueue_chapter();
DROP TABLE IF EXISTS index_outbox;
DROP TABLE IF EXISTS chunks;
