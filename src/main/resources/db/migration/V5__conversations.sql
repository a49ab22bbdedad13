-- RAG chat history: conversations and their messages with cited sources. Owned by a user (cascade on erasure).

CREATE TABLE conversations (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    book_id          uuid REFERENCES books (id) ON DELETE SET NULL,
    title            text CONSTRAINT conversations_title_check CHECK (length(title) BETWEEN 1 AND 300),
    message_count    integer NOT NULL DEFAULT 0 CONSTRAINT conversations_message_count_check CHECK (message_count >= 0),
    last_message_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Newest-first keyset pagination of a user's conversations.
CREATE INDEX conversations_user_created_idx ON conversations (user_id, created_at DESC, id DESC);
CREATE INDEX conversations_book_id_idx ON conversations (book_id);

CREATE TABLE messages (
    id                 uuid PRIMARY KEY,
    conversation_id    uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Total order of messages; a UUIDv7 alone does not order two messages created in the same millisecond.
    seq                bigint GENERATED ALWAYS AS IDENTITY,
    client_message_id  text CONSTRAINT messages_client_message_id_check CHECK (length(client_message_id) BETWEEN 1 AND 100),
    role               text NOT NULL CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'system', 'tool')),
    content            text NOT NULL CONSTRAINT messages_content_check CHECK (length(content) <= 200000),
    selected_text      text CONSTRAINT messages_selected_text_check CHECK (length(selected_text) <= 20000),
    sources            jsonb NOT NULL DEFAULT '[]'::jsonb CONSTRAINT messages_sources_check CHECK (jsonb_typeof(sources) = 'array'),
    prompt_tokens      integer CONSTRAINT messages_prompt_tokens_check CHECK (prompt_tokens >= 0),
    completion_tokens  integer CONSTRAINT messages_completion_tokens_check CHECK (completion_tokens >= 0),
    model              text CONSTRAINT messages_model_check CHECK (length(model) <= 200),
    latency_ms         integer CONSTRAINT messages_latency_check CHECK (latency_ms >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_conversation_client_id_key UNIQUE (conversation_id, client_message_id)
);
CREATE INDEX messages_conversation_seq_idx ON messages (conversation_id, seq);
CREATE INDEX messages_user_id_idx ON messages (user_id);
