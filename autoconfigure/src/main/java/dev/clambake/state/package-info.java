/**
 * State store: namespaced JSON documents with versions and an audit trail, kept in SQLite by
 * default or in PostgreSQL for services running as many replicas, behind {@link dev.clambake.state.StateStore}.
 */
@NullMarked
package dev.clambake.state;

import org.jspecify.annotations.NullMarked;
