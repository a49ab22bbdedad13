-- Inverse of V9__idempotency_keys.sql.
DROP TABLE IF EXISTS idempotency_keys;
