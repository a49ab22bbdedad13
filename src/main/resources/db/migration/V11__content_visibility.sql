-- Content visibility, the catalogue's rule stated once for every feature's SQL:
--   live       a book that is not soft-deleted; a chapter that is not, in a book that is not;
--   published  live and published; for a chapter, in a published book too.
-- Callers who may see drafts (authors, admins) read the live_* views, everyone else the published_* ones
-- (dev.lectern.catalogue.content.VisibleContent picks); code outside the catalogue names these views, never the
-- deleted_at and published columns (ArchitectureTest checks). PostgreSQL inlines such views into the query, so a lookup
-- through one plans as the hand-written join did.
-- The views select every column of the table as it is now: a migration that adds a column other features need must
-- recreate them (CREATE OR REPLACE VIEW may add columns at the end), and one that drops or retypes a column drops and
-- recreates them.
CREATE VIEW live_books AS
    SELECT * FROM books WHERE deleted_at IS NULL;

CREATE VIEW published_books AS
    SELECT * FROM books WHERE deleted_at IS NULL AND published;

CREATE VIEW live_chapters AS
    SELECT c.* FROM chapters c JOIN books b ON b.id = c.book_id
     WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL;

CREATE VIEW published_chapters AS
    SELECT c.* FROM chapters c JOIN books b ON b.id = c.book_id
     WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL AND c.published AND b.published;
