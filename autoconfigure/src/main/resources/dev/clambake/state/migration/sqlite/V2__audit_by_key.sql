-- Clambake state store, schema version 2: read the audit trail of one namespace or key by id.
CREATE INDEX clambake_state_audit_key ON clambake_state_audit (namespace, state_key, id);
CREATE INDEX clambake_state_audit_namespace ON clambake_state_audit (namespace, id);
