-- Inverse of V1__catalogue.sql.
DROP TABLE IF EXISTS chapter_translations;
DROP TABLE IF EXISTS chapter_outcomes;
DROP TABLE IF EXISTS sections;
DROP TABLE IF EXISTS chapters;
DROP TABLE IF EXISTS books;
DROP TABLE IF EXISTS outcomes;
DROP TABLE IF EXISTS subjects;
DROP TABLE IF EXISTS curriculum_frameworks;
