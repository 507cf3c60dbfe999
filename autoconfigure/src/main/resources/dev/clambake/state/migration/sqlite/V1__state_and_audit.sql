-- Clambake state store, schema version 1: documents and their audit trail.
-- Times are milliseconds since the epoch (UTC).
CREATE TABLE clambake_state (
    namespace  TEXT    NOT NULL,
    state_key  TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, state_key)
);

CREATE TABLE clambake_state_audit (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace      TEXT    NOT NULL,
    state_key      TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    old_version    INTEGER,
    new_version    INTEGER,
    actor          TEXT,
    correlation_id TEXT,
    trace_id       TEXT,
    occurred_at    INTEGER NOT NULL
);
