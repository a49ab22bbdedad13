-- Study tasks and learning sessions (time on task). Both belong to a user and cascade from users.

CREATE TABLE study_tasks (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         text NOT NULL CONSTRAINT study_tasks_title_check CHECK (length(title) BETWEEN 1 AND 200),
    description   text CONSTRAINT study_tasks_description_check CHECK (length(description) <= 10000),
    priority      text NOT NULL DEFAULT 'medium' CONSTRAINT study_tasks_priority_check CHECK (priority IN ('high', 'medium', 'low')),
    category      text CONSTRAINT study_tasks_category_check CHECK (length(category) BETWEEN 1 AND 100),
    tags          text[] NOT NULL DEFAULT '{}' CONSTRAINT study_tasks_tags_check CHECK (cardinality(tags) <= 20),
    due_date      date,
    due_time      time,
    completed     boolean NOT NULL DEFAULT false,
    completed_at  timestamptz,
    chapter_id    uuid REFERENCES chapters (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT study_tasks_due_time_check CHECK (due_time IS NULL OR due_date IS NOT NULL),
    CONSTRAINT study_tasks_completed_check CHECK (completed = (completed_at IS NOT NULL))
);
CREATE INDEX study_tasks_user_created_idx ON study_tasks (user_id, created_at, id);
CREATE INDEX study_tasks_user_due_idx ON study_tasks (user_id, due_date, id);
CREATE INDEX study_tasks_tags_idx ON study_tasks USING gin (tags);
CREATE INDEX study_tasks_chapter_id_idx ON study_tasks (chapter_id);

CREATE TABLE learning_sessions (
    id                 uuid PRIMARY KEY,
    user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chapter_id         uuid REFERENCES chapters (id) ON DELETE SET NULL,
    started_at         timestamptz NOT NULL,
    last_heartbeat_at  timestamptz NOT NULL,
    ended_at           timestamptz,
    active_seconds     integer NOT NULL DEFAULT 0 CONSTRAINT learning_sessions_active_check CHECK (active_seconds >= 0),
    items_reviewed     integer NOT NULL DEFAULT 0 CONSTRAINT learning_sessions_items_check CHECK (items_reviewed >= 0),
    content_generated  integer NOT NULL DEFAULT 0 CONSTRAINT learning_sessions_generated_check CHECK (content_generated >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- Serves stats (this week's minutes, streak days) and the session list: a learner's sessions by start time.
CREATE INDEX learning_sessions_user_started_idx ON learning_sessions (user_id, started_at);
CREATE INDEX learning_sessions_chapter_id_idx ON learning_sessions (chapter_id);
