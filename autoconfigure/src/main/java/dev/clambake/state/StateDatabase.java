package dev.clambake.state;

import java.sql.SQLException;

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

}
