-- Clambake state store, schema version 1: documents and their audit trail.
-- Times are milliseconds since the epoch (UTC). Keys use the "C" collation so key order, and
-- therefore prefix ranges and paging, are the same as on SQLite whatever the database's locale.
CREATE TABLE clambake_state (
    namespace  TEXT COLLATE "C" NOT NULL,
    state_key  TEXT COLLATE "C" NOT NULL,
    value      TEXT             NOT NULL,
    version    BIGINT           NOT NULL,
    created_at BIGINT           NOT NULL,
    updated_at BIGINT           NOT NULL,
    PRIMARY KEY (namespace, state_key)
);

CREATE TABLE clambake_state_audit (
    id             BIGSERIAL PRIMARY KEY,
    namespace      TEXT COLLATE "C" NOT NULL,
    state_key      TEXT COLLATE "C" NOT NULL,
    action         TEXT             NOT NULL,
    old_version    BIGINT,
    new_version    BIGINT,
    actor          TEXT,
    correlation_id TEXT,
    trace_id       TEXT,
    occurred_at    BIGINT           NOT NULL
);
