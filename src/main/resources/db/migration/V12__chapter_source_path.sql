-- Where an imported chapter came from: its page's path relative to the docs folder of the imported archive
-- (api/createStore.md). A platform maps pages back by it, and a re-import of the same book updates the chapter the
-- page became instead of adding another. Null for chapters written through the API.
ALTER TABLE chapters ADD COLUMN source_path text
    CONSTRAINT chapters_source_path_check CHECK (length(source_path) BETWEEN 1 AND 1000);
-- One chapter per page of a book; also how a re-import finds it.
CREATE UNIQUE INDEX chapters_book_source_path_key ON chapters (book_id, source_path) WHERE source_path IS NOT NULL;
