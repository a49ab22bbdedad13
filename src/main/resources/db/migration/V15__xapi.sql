-- xAPI statements about a learner's reading, reviews and sessions (dev.lectern.xapi): written in the same statement or
-- transaction as the event, queued for the Learning Record Store, then kept for a while once delivered (or rejected).
-- The row holds the facts; the worker renders the statement JSON from them. The object's path and name are taken when
-- the event happens, so a later rename does not change a statement the LRS may already hold.
CREATE TABLE xapi_statements (
    -- The statement id (UUIDv7), generated when the event happened: a retried delivery sends the same id.
    id                uuid PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    verb              text NOT NULL CONSTRAINT xapi_statements_verb_check
                      CHECK (verb IN ('experienced', 'progressed', 'completed', 'answered', 'initialized', 'terminated')),
    object_type       text NOT NULL CONSTRAINT xapi_statements_object_type_check
                      CHECK (object_type IN ('chapter', 'review-item', 'session')),
    object_id         uuid NOT NULL,
    -- Appended to the configured activity base: /books/{slug}/chapters/{slug}, /review-items/{id}, /sessions/{id}.
    object_path       text NOT NULL CONSTRAINT xapi_statements_object_path_check CHECK (object_path ~ '^/[A-Za-z0-9/_-]+$'),
    object_name       text NOT NULL CONSTRAINT xapi_statements_object_name_check CHECK (length(object_name) BETWEEN 1 AND 200),
    -- result: progress 0..100 (cmi5's extension), success and scaled score of a review, its rating, a session's length.
    progress          double precision CONSTRAINT xapi_statements_progress_check CHECK (progress BETWEEN 0 AND 100),
    success           boolean,
    score             double precision CONSTRAINT xapi_statements_score_check CHECK (score BETWEEN 0 AND 1),
    response          text CONSTRAINT xapi_statements_response_check CHECK (response IN ('again', 'hard', 'good', 'easy')),
    duration_seconds  integer CONSTRAINT xapi_statements_duration_seconds_check CHECK (duration_seconds >= 0),
    occurred_at       timestamptz NOT NULL,
    status            text NOT NULL DEFAULT 'queued' CONSTRAINT xapi_statements_status_check
                      CHECK (status IN ('queued', 'delivered', 'rejected')),
    attempts          integer NOT NULL DEFAULT 0,
    available_at      timestamptz NOT NULL DEFAULT now(),
    claimed_until     timestamptz,
    delivered_at      timestamptz,
    -- Set once delivered or rejected (then + the retention): the expiry purge deletes the row after it.
    expires_at        timestamptz,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT xapi_statements_expires_check CHECK ((status = 'queued') = (expires_at IS NULL))
);
-- The learner's list, newest first (and the foreign key's index).
CREATE INDEX xapi_statements_user_id_idx ON xapi_statements (user_id, occurred_at DESC, id DESC);
-- The worker's claim: queued rows only, oldest first.
CREATE INDEX xapi_statements_queue_idx ON xapi_statements (occurred_at, id) WHERE status = 'queued';
-- The expiry purge, oldest first.
CREATE INDEX xapi_statements_expires_at_idx ON xapi_statements (expires_at) WHERE expires_at IS NOT NULL;
