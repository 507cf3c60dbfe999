package dev.clambake.state;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

/**
 * The databases the store runs on, told apart by the JDBC URL.
 */
enum StateDatabase {

	SQLITE("sqlite", "org.sqlite.JDBC", "org.xerial:sqlite-jdbc"),

	POSTGRESQL("postgresql", "org.postgresql.Driver", "org.postgresql:postgresql");

	private final String id;

	private final String driverClassName;

	private final String driverArtifact;

	StateDatabase(String id, String driverClassName, String driverArtifact) {
		this.id = id;
		this.driverClassName = driverClassName;
		this.driverArtifact = driverArtifact;
	}

	static StateDatabase of(String url) {
		if (url.startsWith("jdbc:sqlite:")) {
			return SQLITE;
		}
		if (url.startsWith("jdbc:postgresql:")) {
			return POSTGRESQL;
		}
		throw new IllegalArgumentException("clambake.state.url must start with jdbc:sqlite: or jdbc:postgresql:");
	}

	String id() {
		return this.id;
	}

	String driverClassName() {
		return this.driverClassName;
	}

	String driverArtifact() {
		return this.driverArtifact;
	}

	/**
	 * The SQL expression for the database's current time in milliseconds since the epoch,
	 * read at the moment the statement runs.
	 */
	String nowMillis() {
		if (this == SQLITE) {
			return "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
		}
		return "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)";
	}

	/**
	 * The clause that locks a row read in a write transaction against a concurrent change,
	 * empty on SQLite, whose write transactions already run one at a time.
	 */
	String forShare() {
		return (this == SQLITE) ? "" : " FOR SHARE";
	}

	/**
	 * The clause that locks a row read in a write transaction for an update.
	 */
	String forUpdate() {
		return (this == SQLITE) ? "" : " FOR UPDATE";
	}

	String migrationLocation() {
		return "classpath:dev/clambake/state/migration/" + this.id;
	}

	/**
	 * Whether the exception says another connection holds a lock the operation needs, so that
	 * trying again later may succeed (SQLITE_BUSY and SQLITE_LOCKED and their extended codes).
	 */
	boolean isBusy(SQLException ex) {
		if (this != SQLITE) {
			return false;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				int primary = sql.getErrorCode() & 0xff;
				if (primary == 5 || primary == 6) {
					return true;
				}
				String message = sql.getMessage();
				if (message != null && (message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED"))) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Say why the exception shows the database unavailable (unreachable, too slow, shutting
	 * down or read-only), or return {@code null} when it is some other error.
	 */
	@Nullable String unavailableReason(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return "the database did not answer within clambake.state.socket-timeout";
			}
			if (cause instanceof ConnectException) {
				return "the database refused the connection";
			}
			if (cause instanceof SQLTransientConnectionException) {
				return "no connection to the database within clambake.state.pool.connection-timeout";
			}
			if (cause instanceof SQLException sql) {
				String state = String.valueOf(sql.getSQLState());
				String message = String.valueOf(sql.getMessage());
				if (state.equals("57014")) {
					return "the statement ran longer than clambake.state.statement-timeout";
				}
				if (state.equals("25006")) {
					return "the database is read-only";
				}
				if (state.startsWith("57P") || state.equals("53300")) {
					return "the database is shutting down or not accepting connections";
				}
				if (state.startsWith("08")) {
					return "the connection to the database failed (" + message + ")";
				}
				if (cause instanceof SQLTimeoutException) {
					return "the database did not answer in time";
				}
				if (this == SQLITE) {
					int primary = sql.getErrorCode() & 0xff;
					if (primary == 8 || message.contains("SQLITE_READONLY")) {
						return "the database file is read-only";
					}
					if (primary == 10 || primary == 13 || primary == 14 || message.contains("SQLITE_IOERR")
							|| message.contains("SQLITE_FULL") || message.contains("SQLITE_CANTOPEN")) {
						return "the database file cannot be written (" + message + ")";
					}
				}
			}
		}
		return null;
	}

}
