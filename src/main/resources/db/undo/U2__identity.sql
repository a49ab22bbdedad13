-- Inverse of V2__identity.sql.
DROP TABLE IF EXISTS api_keys;
DROP TABLE IF EXISTS user_profiles;
DROP TABLE IF EXISTS users;
DROP EXTENSION IF EXISTS citext;
