-- Inverse of V6__generated.sql.
DROP INDEX IF EXISTS api_keys_last_used_at_idx;
DROP INDEX IF EXISTS users_last_seen_at_idx;
DROP INDEX IF EXISTS chapter_translations_expires_at_idx;
ALTER TABLE chapter_translations DROP COLUMN IF EXISTS expires_at, DROP COLUMN IF EXISTS model, DROP COLUMN IF EXISTS text_direction;
DROP TABLE IF EXISTS personalized_content;
DROP TABLE IF EXISTS generated_content;
