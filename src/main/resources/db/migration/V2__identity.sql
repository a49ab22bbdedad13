-- Identity: users (mapped from the auth server's `sub`), their learning profile, and API keys.
-- Everything a user owns references users(id) ON DELETE CASCADE, so erasure is one DELETE.

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id                uuid PRIMARY KEY,
    external_subject  text CONSTRAINT users_external_subject_key UNIQUE
                      CONSTRAINT users_external_subject_check CHECK (length(external_subject) BETWEEN 1 AND 255),
    email             citext CONSTRAINT users_email_key UNIQUE
                      CONSTRAINT users_email_check CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
    display_name      text CONSTRAINT users_display_name_check CHECK (length(display_name) BETWEEN 1 AND 200),
    roles             text[] NOT NULL DEFAULT ARRAY['learner']
                      CONSTRAINT users_roles_check CHECK (roles <@ ARRAY['learner', 'author', 'admin', 'service']
                                                          AND cardinality(roles) >= 1),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz
);

CREATE TABLE user_profiles (
    user_id              uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    experience_level     text CONSTRAINT user_profiles_experience_level_check
                         CHECK (experience_level IN ('beginner', 'intermediate', 'advanced')),
    software_background  text CONSTRAINT user_profiles_software_background_check CHECK (length(software_background) <= 2000),
    hardware_background  text CONSTRAINT user_profiles_hardware_background_check CHECK (length(hardware_background) <= 2000),
    preferred_topics     text[] NOT NULL DEFAULT '{}'
                         CONSTRAINT user_profiles_preferred_topics_check CHECK (cardinality(preferred_topics) <= 50),
    learning_goals       text CONSTRAINT user_profiles_learning_goals_check CHECK (length(learning_goals) <= 4000),
    preferred_language   text CONSTRAINT user_profiles_preferred_language_check
                         CHECK (preferred_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- An API key is "lk_<prefix>_<secret>": the prefix finds the row, the SHA-256 of the 32-byte random secret
-- proves it. A fast hash is right for a high-entropy secret (no dictionary to slow down), and the plaintext
-- is never stored.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL CONSTRAINT api_keys_name_check CHECK (length(name) BETWEEN 1 AND 100),
    prefix        text NOT NULL CONSTRAINT api_keys_prefix_key UNIQUE
                  CONSTRAINT api_keys_prefix_check CHECK (prefix ~ '^[a-z0-9]{12}$'),
    secret_hash   bytea NOT NULL CONSTRAINT api_keys_secret_hash_check CHECK (length(secret_hash) = 32),
    roles         text[] NOT NULL
                  CONSTRAINT api_keys_roles_check CHECK (roles <@ ARRAY['learner', 'author', 'admin', 'service']
                                                         AND cardinality(roles) >= 1),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id, created_at);
