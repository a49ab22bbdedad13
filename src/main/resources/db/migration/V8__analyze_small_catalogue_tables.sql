-- Autovacuum analyses a table after 50 + 10 % of its rows changed; a catalogue of a few books (and, early on, a few
-- dozen chapters) never gets there, so the planner has no statistics for them. Without them it joined books first and
-- checked every chunk's tsvector chapter by chapter instead of using the GIN index: a full-text search at 50k chunks
-- took 485 ms instead of 5 ms (docs/BENCHMARKS.md, "Semantic index"). Analyse books after any change (there are few, and they change rarely), chapters after a handful.
ALTER TABLE books SET (autovacuum_analyze_threshold = 0);
ALTER TABLE chapters SET (autovacuum_analyze_threshold = 5);
