-- Inverse of V3__progress.sql.
DROP TABLE IF EXISTS enrolments;
DROP TABLE IF EXISTS review_logs;
DROP TABLE IF EXISTS review_items;
DROP TABLE IF EXISTS review_settings;
DROP TABLE IF EXISTS progress_events;
DROP TABLE IF EXISTS reading_progress;
