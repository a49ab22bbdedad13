-- Inverts V13: the column's statistics target back to the default (-1 uses default_statistics_target).
ALTER TABLE chunks ALTER COLUMN search_vector SET STATISTICS -1;
