-- Inverse of V4__study.sql.
DROP TABLE IF EXISTS learning_sessions;
DROP TABLE IF EXISTS study_tasks;
