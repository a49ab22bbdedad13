-- Inverse of V8__analyze_small_catalogue_tables.sql.
ALTER TABLE chapters RESET (autovacuum_analyze_threshold);
ALTER TABLE books RESET (autovacuum_analyze_threshold);
