-- Inverse of V12__chapter_source_path.sql.
DROP INDEX IF EXISTS chapters_book_source_path_key;
ALTER TABLE chapters DROP COLUMN IF EXISTS source_path;
