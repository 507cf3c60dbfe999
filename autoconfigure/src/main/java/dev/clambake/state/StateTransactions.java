package dev.clambake.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How the state store reaches its database: reads and transactional writes on the pool, busy
 * errors retried with back-off, and every other {@link SQLException} translated into the
 * store's exceptions (busy, unavailable, or a commit whose outcome is unknown).
 * <p>
 * On SQLite, writes within one JVM take turns on a lock before they begin an {@code IMMEDIATE}
 * transaction.
 */
final class StateTransactions {

	// Logged under the store's name, which users know and may have configured
	private static final Log logger = LogFactory.getLog(JdbcStateStore.class);

	private final StateDatabase database;

	private final HikariDataSource dataSource;

	private final List<StateStoreListener> listeners;

	private final int maxAttempts;

	private final long initialBackoffMillis;

	private final long maxBackoffMillis;

	private final @Nullable ReentrantLock writeLock;

	StateTransactions(StateDatabase database, HikariDataSource dataSource, ClambakeStateProperties properties,
			List<StateStoreListener> listeners) {
		this.database = database;
		this.dataSource = dataSource;
		this.listeners = listeners;
		this.maxAttempts = properties.getBusyRetry().getMaxAttempts();
		this.initialBackoffMillis = properties.getBusyRetry().getInitialBackoff().toMillis();
		this.maxBackoffMillis = properties.getBusyRetry().getMaxBackoff().toMillis();
		this.writeLock = (database == StateDatabase.SQLITE) ? new ReentrantLock() : null;
	}

	<T> T read(String operation, ConnectionWork<T> work) {
		for (int attempt = 1;; attempt++) {
			try (Connection connection = this.dataSource.getConnection()) {
				return work.run(connection);
			}
			catch (SQLException ex) {
				backOffOrThrow(operation, attempt, ex);
			}
		}
	}

	<T> T write(String operation, ConnectionWork<Written<T>> work) {
		Written<T> written = null;
		for (int attempt = 1; written == null; attempt++) {
			try {
				written = writeOnce(work);
			}
			catch (SQLException ex) {
				backOffOrThrow(operation, attempt, ex);
			}
		}
		StateAuditRecord audit = written.audit();
		for (StateStoreListener listener : (audit != null) ? this.listeners : List.<StateStoreListener>of()) {
			try {
				listener.onAudit(audit);
			}
			catch (RuntimeException ex) {
				logger.warn("State store listener failed on " + audit, ex);
			}
		}
		return written.result();
	}

	/**
	 * Update the heartbeat row in a transaction that is rolled back, so nothing is written.
	 * @param timeout how long the check may take
	 * @return whether the write went through, and why not
	 */
	JdbcStateStore.HealthCheck checkWrite(Duration timeout) {
		ReentrantLock lock = this.writeLock;
		try {
			if (lock != null && !lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				// Writes are queued behind one that is running: busy is not broken
				return new JdbcStateStore.HealthCheck(true, null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new JdbcStateStore.HealthCheck(false, "interrupted");
		}
		try (Connection connection = this.dataSource.getConnection()) {
			begin(connection);
			try (PreparedStatement statement = connection.prepareStatement(StateSql.HEARTBEAT)) {
				statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
				statement.setLong(1, System.currentTimeMillis());
				statement.executeUpdate();
			}
			finally {
				rollback(connection, new SQLException("health check"));
			}
			return new JdbcStateStore.HealthCheck(true, null);
		}
		catch (SQLException ex) {
			String reason = this.database.unavailableReason(ex);
			return new JdbcStateStore.HealthCheck(false, (reason != null) ? reason : String.valueOf(ex.getMessage()));
		}
		finally {
			if (lock != null) {
				lock.unlock();
			}
		}
	}

	private <T> Written<T> writeOnce(ConnectionWork<Written<T>> work) throws SQLException {
		ReentrantLock lock = this.writeLock;
		if (lock != null) {
			lock.lock();
		}
		try (Connection connection = this.dataSource.getConnection()) {
			begin(connection);
			Written<T> written;
			try {
				written = work.run(connection);
			}
			catch (SQLException | RuntimeException ex) {
				rollback(connection, ex);
				throw ex;
			}
			try {
				commit(connection);
			}
			catch (SQLException ex) {
				if (this.database.isBusy(ex)) {
					// SQLite leaves the transaction open when COMMIT is busy: nothing was written
					rollback(connection, ex);
					throw ex;
				}
				this.dataSource.evictConnection(connection);
				String reason = this.database.unavailableReason(ex);
				if (reason != null) {
					throw new StateStoreUnavailableException(
							"Commit failed (" + reason + "); the write may or may not have been committed", ex, true);
				}
				throw new StateStoreException("Commit failed; the write may or may not have been committed", ex, true);
			}
			return written;
		}
		finally {
			if (lock != null) {
				lock.unlock();
			}
		}
	}

	private void begin(Connection connection) throws SQLException {
		if (this.database == StateDatabase.SQLITE) {
			// IMMEDIATE takes the write lock up front, so a busy database is seen (and waited for)
			// at BEGIN rather than failing a read-to-write upgrade half way through
			try (Statement statement = connection.createStatement()) {
				statement.execute("BEGIN IMMEDIATE");
			}
		}
		else {
			connection.setAutoCommit(false);
		}
	}

	private void commit(Connection connection) throws SQLException {
		if (this.database == StateDatabase.SQLITE) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("COMMIT");
			}
		}
		else {
			connection.commit();
			connection.setAutoCommit(true);
		}
	}

	private void rollback(Connection connection, Exception cause) {
		try {
			if (this.database == StateDatabase.SQLITE) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("ROLLBACK");
				}
			}
			else {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			// SQLite may have rolled the transaction back itself after the failed statement
			if (!String.valueOf(ex.getMessage()).contains("no transaction is active")) {
				cause.addSuppressed(ex);
				this.dataSource.evictConnection(connection);
			}
		}
	}

	private void backOffOrThrow(String operation, int attempt, SQLException ex) {
		if (!this.database.isBusy(ex)) {
			String reason = this.database.unavailableReason(ex);
			if (reason != null) {
				throw new StateStoreUnavailableException(
						"State store operation '" + operation + "' failed: " + reason + " (nothing was written)", ex);
			}
			throw new StateStoreException("State store operation '" + operation + "' failed: " + ex.getMessage(), ex);
		}
		if (attempt >= this.maxAttempts) {
			throw new StateStoreBusyException(operation, attempt, ex);
		}
		long backoff = Math.min(this.maxBackoffMillis, this.initialBackoffMillis << Math.min(attempt - 1, 20));
		try {
			Thread.sleep(backoff);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new StateStoreException("Interrupted while retrying a busy state store operation", ex);
		}
	}

	/**
	 * Work done on one connection, retried as a whole when the database is busy.
	 *
	 * @param <T> the result
	 */
	@FunctionalInterface
	interface ConnectionWork<T> {

		T run(Connection connection) throws SQLException;

	}

	/**
	 * What a write returns, with the audit record that listeners are told about once it is
	 * committed.
	 *
	 * @param <T> the result
	 * @param result the result
	 * @param audit the audit record the write inserted, {@code null} when it changed nothing that
	 * is audited
	 */
	record Written<T>(T result, @Nullable StateAuditRecord audit) {

	}

}
