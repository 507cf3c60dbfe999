-- Clambake state store, schema version 3: one row the health check updates (and rolls back)
-- to prove the database takes writes.
CREATE TABLE clambake_state_heartbeat (
    id         INTEGER NOT NULL PRIMARY KEY,
    checked_at BIGINT  NOT NULL
);
INSERT INTO clambake_state_heartbeat (id, checked_at) VALUES (1, 0);
