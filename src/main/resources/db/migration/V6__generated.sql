-- AI-generated study material, personalised chapter variants and translation expiry; indexes for operator stats.

CREATE TABLE generated_content (
    id                     uuid PRIMARY KEY,
    user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic                  text NOT NULL CONSTRAINT generated_content_topic_check CHECK (length(topic) BETWEEN 1 AND 500),
    content_type           text NOT NULL CONSTRAINT generated_content_type_check CHECK (content_type IN
                           ('study_guide', 'flashcards', 'quiz', 'summary', 'lesson_plan', 'explanation', 'practice_problems')),
    audience_level         text NOT NULL CONSTRAINT generated_content_audience_check CHECK (audience_level IN
                           ('elementary', 'middle_school', 'high_school', 'university', 'professional')),
    body                   jsonb NOT NULL CONSTRAINT generated_content_body_check CHECK (jsonb_typeof(body) = 'object'),
    quality_score          double precision CONSTRAINT generated_content_quality_check CHECK (quality_score >= 0 AND quality_score <= 1),
    word_count             integer NOT NULL CONSTRAINT generated_content_word_count_check CHECK (word_count >= 0),
    reading_minutes        integer NOT NULL CONSTRAINT generated_content_reading_minutes_check CHECK (reading_minutes >= 0),
    educational_standards  jsonb NOT NULL DEFAULT '[]'::jsonb,
    tags                   text[] NOT NULL DEFAULT '{}' CONSTRAINT generated_content_tags_check CHECK (cardinality(tags) <= 30),
    source_prompts         jsonb NOT NULL DEFAULT '[]'::jsonb,
    model                  text CONSTRAINT generated_content_model_check CHECK (length(model) <= 200),
    generation_ms          integer CONSTRAINT generated_content_generation_ms_check CHECK (generation_ms >= 0),
    chapter_ids            uuid[] NOT NULL DEFAULT '{}',
    outcome_ids            uuid[] NOT NULL DEFAULT '{}',
    topic_tsv              tsvector GENERATED ALWAYS AS (to_tsvector('simple', topic)) STORED,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX generated_content_user_created_idx ON generated_content (user_id, created_at DESC, id DESC);
CREATE INDEX generated_content_tags_idx ON generated_content USING gin (tags);
CREATE INDEX generated_content_chapter_ids_idx ON generated_content USING gin (chapter_ids);
CREATE INDEX generated_content_topic_tsv_idx ON generated_content USING gin (topic_tsv);
-- "Content generated today" for operator stats without a scan.
CREATE INDEX generated_content_created_at_idx ON generated_content (created_at);

CREATE TABLE personalized_content (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chapter_id           uuid NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    body                 text NOT NULL CONSTRAINT personalized_content_body_check CHECK (length(body) <= 5000000),
    source_content_hash  text NOT NULL CONSTRAINT personalized_content_hash_check CHECK (source_content_hash ~ '^[0-9a-f]{64}$'),
    model                text CONSTRAINT personalized_content_model_check CHECK (length(model) <= 200),
    expires_at           timestamptz NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT personalized_content_user_chapter_key UNIQUE (user_id, chapter_id)
);
CREATE INDEX personalized_content_chapter_id_idx ON personalized_content (chapter_id);
CREATE INDEX personalized_content_expires_at_idx ON personalized_content (expires_at);

ALTER TABLE chapter_translations
    ADD COLUMN text_direction text NOT NULL DEFAULT 'ltr' CONSTRAINT chapter_translations_direction_check CHECK (text_direction IN ('ltr', 'rtl')),
    ADD COLUMN model text CONSTRAINT chapter_translations_model_check CHECK (length(model) <= 200),
    ADD COLUMN expires_at timestamptz;
CREATE INDEX chapter_translations_expires_at_idx ON chapter_translations (expires_at);

-- Operator stats: active users over 7 and 30 days by index range, not by scanning users.
CREATE INDEX users_last_seen_at_idx ON users (last_seen_at);
CREATE INDEX api_keys_last_used_at_idx ON api_keys (last_used_at);
