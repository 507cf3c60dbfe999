package dev.clambake.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The lease table's SQL for one database: the current time is always the database's, and the
 * rows a write transaction depends on are locked on PostgreSQL ({@code FOR SHARE} for a fence
 * check, {@code FOR UPDATE} before an acquisition) so a concurrent takeover waits for it to
 * commit. SQLite runs its write transactions one at a time already.
 */
final class StateLeaseSql {

	private static final String COLUMNS = "name, holder, token, acquired_at, expires_at, ";

	final String now;

	final String select;

	final String selectForShare;

	final String selectForUpdate;

	final String selectAll;

	final String insert;

	final String takeOver;

	final String renew;

	final String release;

	final String clock;

	StateLeaseSql(StateDatabase database) {
		this.now = database.nowMillis();
		this.select = "SELECT " + COLUMNS + this.now + " FROM clambake_state_lease WHERE name = ?";
		this.selectForShare = this.select + database.forShare();
		this.selectForUpdate = this.select + database.forUpdate();
		this.selectAll = "SELECT " + COLUMNS + this.now + " FROM clambake_state_lease ORDER BY name";
		this.insert = "INSERT INTO clambake_state_lease (name, holder, token, acquired_at, expires_at) "
				+ "VALUES (?, ?, 1, " + this.now + ", " + this.now + " + ?) ON CONFLICT (name) DO NOTHING "
				+ "RETURNING " + COLUMNS + this.now;
		this.takeOver = "UPDATE clambake_state_lease SET holder = ?, token = token + 1, acquired_at = " + this.now
				+ ", expires_at = " + this.now + " + ? WHERE name = ? AND token = ? RETURNING " + COLUMNS + this.now;
		this.renew = "UPDATE clambake_state_lease SET expires_at = " + this.now + " + ? "
				+ "WHERE name = ? AND holder = ? AND token = ? AND expires_at > " + this.now + " RETURNING " + COLUMNS
				+ this.now;
		this.release = "UPDATE clambake_state_lease SET expires_at = " + this.now
				+ " WHERE name = ? AND holder = ? AND token = ? AND expires_at > " + this.now;
		this.clock = "SELECT " + this.now;
	}

	static Optional<StateLease> read(PreparedStatement statement) throws SQLException {
		try (ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				return Optional.empty();
			}
			return Optional.of(lease(rs));
		}
	}

	static StateLease lease(ResultSet rs) throws SQLException {
		return new StateLease(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
				Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)));
	}

	/**
	 * Check, inside a write transaction, that the fence's acquisition still holds its lease, and
	 * keep the row locked until the transaction ends.
	 * @throws FencedWriteRefusedException if it does not
	 */
	void checkFence(Connection connection, String operation, StateFence fence) throws SQLException {
		Optional<StateLease> current;
		try (PreparedStatement statement = connection.prepareStatement(this.selectForShare)) {
			statement.setString(1, fence.lease());
			current = read(statement);
		}
		if (current.isEmpty()) {
			throw new FencedWriteRefusedException(operation, fence, null, 0, true);
		}
		StateLease lease = current.get();
		if (lease.token() != fence.token() || !lease.holder().equals(fence.holder()) || !lease.isHeld()) {
			throw new FencedWriteRefusedException(operation, fence, lease.holder(), lease.token(), !lease.isHeld());
		}
	}

}
