-- Inverse of V11__content_visibility.sql.
DROP VIEW IF EXISTS published_chapters;
DROP VIEW IF EXISTS live_chapters;
DROP VIEW IF EXISTS published_books;
DROP VIEW IF EXISTS live_books;
