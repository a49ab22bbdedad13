-- Inverse of V10__generated_links_integrity.sql.
DROP TRIGGER IF EXISTS outcomes_unlink_generated_content ON outcomes;
DROP FUNCTION IF EXISTS generated_content_unlink_outcome();
DROP TRIGGER IF EXISTS chapters_unlink_generated_content ON chapters;
DROP FUNCTION IF EXISTS generated_content_unlink_chapter();
DROP TRIGGER IF EXISTS generated_content_links_exist ON generated_content;
DROP FUNCTION IF EXISTS generated_content_check_links();
DROP INDEX IF EXISTS generated_content_outcome_ids_idx;
