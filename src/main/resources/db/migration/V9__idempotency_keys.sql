-- Idempotency-Key for POSTs whose duplicates would hurt (a retried review applied twice, a second task or generated
-- set): the first request with a key claims it, its response is kept, and a retry with the same key and the same
-- request gets that response again instead of a second execution (dev.lectern.platform.Idempotency).
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key           text NOT NULL CONSTRAINT idempotency_keys_key_check CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 of the operation (method and path) and the request body: the same key on another request is refused.
    fingerprint   text NOT NULL CONSTRAINT idempotency_keys_fingerprint_check CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    -- NULL while the first request runs; then its status, Location and JSON body, replayed to retries.
    status        integer CONSTRAINT idempotency_keys_status_check CHECK (status BETWEEN 200 AND 499),
    location      text,
    body          text,
    -- A request that died mid-way (a crashed replica) leaves a claim; after this a retry may take it over.
    locked_until  timestamptz,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
-- The scheduled purge deletes expired keys in bounded batches, oldest first.
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
