-- Inverts V15: the xAPI statements go, queued or delivered.
DROP TABLE xapi_statements;
