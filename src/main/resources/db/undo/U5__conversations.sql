-- Inverse of V5__conversations.sql.
DROP TABLE IF EXISTS messages;
DROP TABLE IF EXISTS conversations;
