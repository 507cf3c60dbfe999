package dev.clambake.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

import dev.clambake.correlation.CorrelationIds;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The state store's SQL, which SQLite and PostgreSQL both take as written, and the helpers
 * that bind and read the audit table's rows.
 */
final class StateSql {

	// Every character a key may hold sorts below DEL, so prefix + DEL bounds a prefix range
	static final char ABOVE_KEY_CHARACTERS = '\u007f';

	static final String SELECT_ONE = "SELECT value, version, created_at, updated_at FROM clambake_state "
			+ "WHERE namespace = ? AND state_key = ?";

	static final String HEARTBEAT = "UPDATE clambake_state_heartbeat SET checked_at = ? WHERE id = 1";

	static final String SELECT_VERSION = "SELECT version FROM clambake_state WHERE namespace = ? AND state_key = ?";

	static final String INSERT = "INSERT INTO clambake_state "
			+ "(namespace, state_key, value, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?) "
			+ "ON CONFLICT (namespace, state_key) DO NOTHING";

	static final String UPDATE = "UPDATE clambake_state SET value = ?, version = ?, updated_at = ? "
			+ "WHERE namespace = ? AND state_key = ? AND version = ? RETURNING created_at";

	static final String COUNT_BY_NAMESPACE = "SELECT namespace, COUNT(*) FROM clambake_state GROUP BY namespace";

	static final String DELETE = "DELETE FROM clambake_state WHERE namespace = ? AND state_key = ? AND version = ?";

	static final String LIST = "SELECT state_key, value, version, created_at, updated_at FROM clambake_state "
			+ "WHERE namespace = ? AND state_key >= ? AND state_key < ? AND state_key > ? ORDER BY state_key LIMIT ?";

	static final String INSERT_AUDIT = "INSERT INTO clambake_state_audit "
			+ "(namespace, state_key, action, old_version, new_version, actor, correlation_id, trace_id, occurred_at) "
			+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

	private static final String AUDIT_COLUMNS = "SELECT id, action, namespace, state_key, old_version, new_version, "
			+ "actor, correlation_id, trace_id, occurred_at FROM clambake_state_audit ";

	static final String LIST_AUDIT = AUDIT_COLUMNS + "WHERE namespace = ? AND id > ? ORDER BY id LIMIT ?";

	static final String LIST_KEY_AUDIT = AUDIT_COLUMNS
			+ "WHERE namespace = ? AND state_key = ? AND id > ? ORDER BY id LIMIT ?";

	private StateSql() {
	}

	static long currentVersion(Connection connection, String namespace, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(SELECT_VERSION)) {
			statement.setString(1, namespace);
			statement.setString(2, key);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? rs.getLong(1) : 0;
			}
		}
	}

	static StateAuditRecord insertAudit(Connection connection, StateAuditRecord.Action action, String namespace,
			String key, @Nullable Long oldVersion, @Nullable Long newVersion, AuditContext context, Instant now)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(INSERT_AUDIT)) {
			statement.setString(1, namespace);
			statement.setString(2, key);
			statement.setString(3, action.name());
			setLong(statement, 4, oldVersion);
			setLong(statement, 5, newVersion);
			statement.setString(6, context.actor());
			statement.setString(7, context.correlationId());
			statement.setString(8, context.traceId());
			statement.setLong(9, now.toEpochMilli());
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					throw new SQLException("The audit insert returned no id");
				}
				return new StateAuditRecord(rs.getLong(1), action, namespace, key, oldVersion, newVersion,
						context.actor(), context.correlationId(), context.traceId(), now);
			}
		}
	}

	private static void setLong(PreparedStatement statement, int index, @Nullable Long value) throws SQLException {
		if (value != null) {
			statement.setLong(index, value);
		}
		else {
			statement.setNull(index, Types.BIGINT);
		}
	}

	static StateAuditRecord auditRecord(ResultSet rs) throws SQLException {
		long oldVersion = rs.getLong(5);
		Long old = rs.wasNull() ? null : oldVersion;
		long newVersion = rs.getLong(6);
		Long updated = rs.wasNull() ? null : newVersion;
		return new StateAuditRecord(rs.getLong(1), StateAuditRecord.Action.valueOf(rs.getString(2)), rs.getString(3),
				rs.getString(4), old, updated, rs.getString(7), rs.getString(8), rs.getString(9),
				Instant.ofEpochMilli(rs.getLong(10)));
	}

	/**
	 * Who made a change and in which request, as its audit row records it.
	 *
	 * @param actor the actor the caller named, if any
	 * @param correlationId the correlation id of the calling thread, if any
	 * @param traceId the trace id of the calling thread, if any
	 */
	record AuditContext(@Nullable String actor, @Nullable String correlationId, @Nullable String traceId) {

		static AuditContext capture(@Nullable String actor) {
			StateValues.validateActor(actor);
			return new AuditContext(actor, MDC.get(CorrelationIds.MDC_KEY), MDC.get("traceId"));
		}

	}

}
