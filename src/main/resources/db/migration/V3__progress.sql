-- Learner progress: enrolments, reading progress with idempotent time tracking, FSRS review items and
-- their log, and per-user review settings. Everything references users(id) ON DELETE CASCADE (GDPR erasure).

CREATE TABLE reading_progress (
    user_id             uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chapter_id          uuid NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    percent             double precision NOT NULL DEFAULT 0
                        CONSTRAINT reading_progress_percent_check CHECK (percent >= 0 AND percent <= 100),
    section_number      integer CONSTRAINT reading_progress_section_number_check CHECK (section_number >= 1),
    section_offset      integer CONSTRAINT reading_progress_section_offset_check CHECK (section_offset >= 0),
    time_spent_seconds  bigint NOT NULL DEFAULT 0 CONSTRAINT reading_progress_time_spent_check CHECK (time_spent_seconds >= 0),
    completed_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chapter_id)
);
CREATE INDEX reading_progress_chapter_id_idx ON reading_progress (chapter_id);
-- "What to resume": a learner's most recently touched chapters.
CREATE INDEX reading_progress_recent_idx ON reading_progress (user_id, updated_at DESC);

-- One row per client event id: time spent is added exactly once however often a device retries.
CREATE TABLE progress_events (
    user_id             uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id            uuid NOT NULL,
    chapter_id          uuid NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    time_spent_seconds  integer NOT NULL CONSTRAINT progress_events_time_spent_check CHECK (time_spent_seconds >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, event_id)
);
CREATE INDEX progress_events_chapter_id_idx ON progress_events (chapter_id);

CREATE TABLE review_settings (
    user_id                uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    desired_retention      double precision NOT NULL DEFAULT 0.9
                           CONSTRAINT review_settings_retention_check CHECK (desired_retention >= 0.7 AND desired_retention <= 0.99),
    maximum_interval_days  integer NOT NULL DEFAULT 36500
                           CONSTRAINT review_settings_maximum_interval_check CHECK (maximum_interval_days BETWEEN 1 AND 36500),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE review_items (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    outcome_id      uuid REFERENCES outcomes (id) ON DELETE SET NULL,
    chapter_id      uuid REFERENCES chapters (id) ON DELETE SET NULL,
    section_number  integer CONSTRAINT review_items_section_number_check CHECK (section_number >= 1),
    front           text CONSTRAINT review_items_front_check CHECK (length(front) BETWEEN 1 AND 10000),
    back            text CONSTRAINT review_items_back_check CHECK (length(back) <= 20000),
    state           text NOT NULL DEFAULT 'learning'
                    CONSTRAINT review_items_state_check CHECK (state IN ('learning', 'review', 'relearning')),
    step            integer CONSTRAINT review_items_step_check CHECK (step >= 0),
    stability       double precision CONSTRAINT review_items_stability_check CHECK (stability > 0),
    difficulty      double precision CONSTRAINT review_items_difficulty_check CHECK (difficulty BETWEEN 1 AND 10),
    due             timestamptz NOT NULL,
    last_review     timestamptz,
    reps            integer NOT NULL DEFAULT 0 CONSTRAINT review_items_reps_check CHECK (reps >= 0),
    lapses          integer NOT NULL DEFAULT 0 CONSTRAINT review_items_lapses_check CHECK (lapses >= 0),
    version         bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT review_items_target_check CHECK (outcome_id IS NOT NULL OR chapter_id IS NOT NULL OR front IS NOT NULL)
);
-- Serves the due queue: a learner's items in due order (an index-only range scan per request).
CREATE INDEX review_items_due_idx ON review_items (user_id, due, id);
CREATE INDEX review_items_outcome_id_idx ON review_items (outcome_id);
CREATE INDEX review_items_chapter_id_idx ON review_items (chapter_id);

CREATE TABLE review_logs (
    id               uuid PRIMARY KEY,
    item_id          uuid NOT NULL REFERENCES review_items (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating           text NOT NULL CONSTRAINT review_logs_rating_check CHECK (rating IN ('again', 'hard', 'good', 'easy')),
    reviewed_at      timestamptz NOT NULL,
    elapsed_days     integer NOT NULL CONSTRAINT review_logs_elapsed_check CHECK (elapsed_days >= 0),
    scheduled_days   integer NOT NULL CONSTRAINT review_logs_scheduled_check CHECK (scheduled_days >= 0),
    state_before     text NOT NULL CONSTRAINT review_logs_state_before_check CHECK (state_before IN ('learning', 'review', 'relearning')),
    state_after      text NOT NULL CONSTRAINT review_logs_state_after_check CHECK (state_after IN ('learning', 'review', 'relearning')),
    stability_after  double precision NOT NULL,
    difficulty_after double precision NOT NULL,
    due_after        timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_logs_item_id_idx ON review_logs (item_id, reviewed_at);
CREATE INDEX review_logs_user_id_idx ON review_logs (user_id, reviewed_at);

-- What a learner studies: a book, or a subject of a curriculum framework. One row per learner and target.
CREATE TABLE enrolments (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id     uuid REFERENCES books (id) ON DELETE CASCADE,
    subject_id  uuid REFERENCES subjects (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT enrolments_one_target_check CHECK ((book_id IS NULL) <> (subject_id IS NULL))
);
CREATE INDEX enrolments_user_id_idx ON enrolments (user_id, created_at);
CREATE UNIQUE INDEX enrolments_user_book_key ON enrolments (user_id, book_id) WHERE book_id IS NOT NULL;
CREATE UNIQUE INDEX enrolments_user_subject_key ON enrolments (user_id, subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX enrolments_book_id_idx ON enrolments (book_id);
CREATE INDEX enrolments_subject_id_idx ON enrolments (subject_id);
