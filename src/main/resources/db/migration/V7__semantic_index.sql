-- Semantic index: chunks (Postgres is the source of truth, vectors included), the index outbox and rebuild jobs.

CREATE TABLE chunks (
    id               uuid PRIMARY KEY,
    chapter_id       uuid NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    ordinal          integer NOT NULL CONSTRAINT chunks_ordinal_check CHECK (ordinal >= 0),
    section_number   integer NOT NULL CONSTRAINT chunks_section_number_check CHECK (section_number >= 1),
    anchor           text NOT NULL,
    heading_path     text[] NOT NULL,
    text             text NOT NULL,
    token_count      integer NOT NULL CONSTRAINT chunks_token_count_check CHECK (token_count >= 0),
    content_hash     text NOT NULL CONSTRAINT chunks_content_hash_check CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    -- Full-text: headings weigh more than body text; 'english' stemming for English books, 'simple' otherwise.
    search_vector    tsvector NOT NULL,
    -- The vector itself, so the serving index can be rebuilt without re-embedding; model and dimension with it.
    embedding        real[],
    embedding_model  text,
    embedding_dim    integer CONSTRAINT chunks_embedding_dim_check CHECK (embedding_dim > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chunks_chapter_ordinal_key UNIQUE (chapter_id, ordinal),
    CONSTRAINT chunks_embedding_check CHECK ((embedding IS NULL) = (embedding_model IS NULL)
        AND (embedding IS NULL OR cardinality(embedding) = embedding_dim))
);
CREATE INDEX chunks_search_vector_idx ON chunks USING gin (search_vector);
-- Loading the in-process index and rebuilds read chunks by model.
CREATE INDEX chunks_embedding_model_idx ON chunks (embedding_model);

-- Index work: one row per chapter change, written by triggers in the same transaction as the change, so no code path
-- (PUT, import, delete, restore, outcome links, book deletion) can forget it. No foreign key: work for a chapter that is
-- gone must still remove its points.
CREATE TABLE index_outbox (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chapter_id     uuid NOT NULL,
    enqueued_at    timestamptz NOT NULL DEFAULT now(),
    available_at   timestamptz NOT NULL DEFAULT now(),
    claimed_until  timestamptz,
    attempts       integer NOT NULL DEFAULT 0 CONSTRAINT index_outbox_attempts_check CHECK (attempts >= 0),
    last_error     text CONSTRAINT index_outbox_last_error_check CHECK (length(last_error) <= 2000)
);
CREATE INDEX index_outbox_available_at_idx ON index_outbox (available_at, id);
CREATE INDEX index_outbox_chapter_id_idx ON index_outbox (chapter_id);

CREATE FUNCTION index_outbox_enqueue_chapter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO index_outbox (chapter_id) VALUES (OLD.id);
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT'
            OR OLD.content_hash IS DISTINCT FROM NEW.content_hash
            OR OLD.title IS DISTINCT FROM NEW.title
            OR OLD.difficulty IS DISTINCT FROM NEW.difficulty
            OR OLD.slug IS DISTINCT FROM NEW.slug
            OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
            OR OLD.published IS DISTINCT FROM NEW.published THEN
        INSERT INTO index_outbox (chapter_id) VALUES (NEW.id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chapters_index_outbox AFTER INSERT OR UPDATE OR DELETE ON chapters
    FOR EACH ROW EXECUTE FUNCTION index_outbox_enqueue_chapter();

-- Outcome codes are part of every point's payload.
CREATE FUNCTION index_outbox_enqueue_chapter_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO index_outbox (chapter_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.chapter_id ELSE NEW.chapter_id END);
    RETURN NULL;
END $$;
CREATE TRIGGER chapter_outcomes_index_outbox AFTER INSERT OR DELETE ON chapter_outcomes
    FOR EACH ROW EXECUTE FUNCTION index_outbox_enqueue_chapter_outcome();

-- A book's deletion, restoration or language change touches every chapter's points.
CREATE FUNCTION index_outbox_enqueue_book() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.language IS DISTINCT FROM NEW.language
            OR OLD.published IS DISTINCT FROM NEW.published OR OLD.slug IS DISTINCT FROM NEW.slug THEN
        INSERT INTO index_outbox (chapter_id) SELECT id FROM chapters WHERE book_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER books_index_outbox AFTER UPDATE ON books
    FOR EACH ROW EXECUTE FUNCTION index_outbox_enqueue_book();

-- Chapters written before this migration get indexed too.
INSERT INTO index_outbox (chapter_id) SELECT id FROM chapters ORDER BY created_at;

-- Rebuilds of the serving index, visible from every replica.
CREATE TABLE index_jobs (
    id           uuid PRIMARY KEY,
    status       text NOT NULL CONSTRAINT index_jobs_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    model        text NOT NULL,
    reembed      boolean NOT NULL DEFAULT false,
    total        integer NOT NULL DEFAULT 0 CONSTRAINT index_jobs_total_check CHECK (total >= 0),
    processed    integer NOT NULL DEFAULT 0 CONSTRAINT index_jobs_processed_check CHECK (processed >= 0),
    chunks       integer NOT NULL DEFAULT 0 CONSTRAINT index_jobs_chunks_check CHECK (chunks >= 0),
    error        text CONSTRAINT index_jobs_error_check CHECK (length(error) <= 2000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX index_jobs_created_at_idx ON index_jobs (created_at DESC);
