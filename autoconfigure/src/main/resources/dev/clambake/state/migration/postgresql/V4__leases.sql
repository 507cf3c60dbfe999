-- Clambake state store, schema version 4: leases with fencing tokens (dev.clambake.lease).
-- Times are milliseconds since the epoch by the database's clock; a released lease keeps its
-- row (expired at once), so its token never goes back.
CREATE TABLE clambake_state_lease (
    name        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    holder      TEXT             NOT NULL,
    token       BIGINT           NOT NULL,
    acquired_at BIGINT           NOT NULL,
    expires_at  BIGINT           NOT NULL
);
