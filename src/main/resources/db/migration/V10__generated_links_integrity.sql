-- generated_content links chapters and outcomes as uuid arrays (their order is kept and an item is one row), and
-- PostgreSQL's foreign keys cannot reference array elements. Triggers do what the foreign keys would:
--   * every id written to chapter_ids / outcome_ids must name an existing row, which is locked FOR KEY SHARE like a
--     foreign key check locks it, so a concurrent delete waits (SQLSTATE 23503 otherwise, as for a foreign key);
--   * deleting a chapter or an outcome removes its id from the arrays (what ON DELETE CASCADE does to a link row).
-- The API soft-deletes chapters and never deletes outcomes on its own, so this guards direct SQL, cascades from
-- frameworks and future code paths. outcome_ids gains the GIN index that chapter_ids has, for the unlinking.

CREATE INDEX generated_content_outcome_ids_idx ON generated_content USING gin (outcome_ids);

CREATE FUNCTION generated_content_check_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM (SELECT 1 FROM chapters WHERE id = ANY (NEW.chapter_ids) FOR KEY SHARE) AS found)
            <> (SELECT count(DISTINCT id) FROM unnest(NEW.chapter_ids) AS id) THEN
        RAISE EXCEPTION 'generated_content.chapter_ids names a chapter that does not exist'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'generated_content_chapter_ids_fkey';
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM outcomes WHERE id = ANY (NEW.outcome_ids) FOR KEY SHARE) AS found)
            <> (SELECT count(DISTINCT id) FROM unnest(NEW.outcome_ids) AS id) THEN
        RAISE EXCEPTION 'generated_content.outcome_ids names an outcome that does not exist'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'generated_content_outcome_ids_fkey';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER generated_content_links_exist
    BEFORE INSERT OR UPDATE OF chapter_ids, outcome_ids ON generated_content
    FOR EACH ROW EXECUTE FUNCTION generated_content_check_links();

CREATE FUNCTION generated_content_unlink_chapter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE generated_content SET chapter_ids = array_remove(chapter_ids, OLD.id), updated_at = now()
     WHERE chapter_ids @> ARRAY[OLD.id];
    RETURN OLD;
END
$$;

CREATE TRIGGER chapters_unlink_generated_content
    AFTER DELETE ON chapters
    FOR EACH ROW EXECUTE FUNCTION generated_content_unlink_chapter();

CREATE FUNCTION generated_content_unlink_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE generated_content SET outcome_ids = array_remove(outcome_ids, OLD.id), updated_at = now()
     WHERE outcome_ids @> ARRAY[OLD.id];
    RETURN OLD;
END
$$;

CREATE TRIGGER outcomes_unlink_generated_content
    AFTER DELETE ON outcomes
    FOR EACH ROW EXECUTE FUNCTION generated_content_unlink_outcome();
