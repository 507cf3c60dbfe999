package dev.clambake.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * The state store's private HikariCP pool: its time-outs, the SQLite pragmas or PostgreSQL
 * driver settings of its connections, and the start-up failures that name the property to
 * change.
 */
final class StatePool {

	private StatePool() {
	}

	/**
	 * Create the pool, and for SQLite the directory of its database file.
	 * @param database the database the URL points at
	 * @param properties the store's settings
	 * @return the open pool
	 * @throws StateStoreStartupException if the database cannot be reached
	 */
	static HikariDataSource open(StateDatabase database, ClambakeStateProperties properties) {
		if (database == StateDatabase.SQLITE) {
			createDirectories(properties.getUrl());
		}
		try {
			return new HikariDataSource(hikariConfig(database, properties));
		}
		catch (RuntimeException ex) {
			throw startupFailure(database, properties, ex, "clambake.state.connect-timeout");
		}
	}

	static StateStoreStartupException startupFailure(StateDatabase database, ClambakeStateProperties properties,
			RuntimeException ex, String timeoutProperty) {
		String reason = database.unavailableReason(ex);
		String property = timeoutProperty;
		if (reason == null) {
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			reason = String.valueOf(root.getMessage());
		}
		else if (reason.contains("statement-timeout")) {
			property = "clambake.state.statement-timeout";
		}
		if (reason.contains("timed out") || reason.contains("did not answer")) {
			Duration timeout = property.endsWith("connect-timeout") ? properties.getConnectTimeout()
					: property.endsWith("statement-timeout") ? properties.getStatementTimeout()
							: properties.getSocketTimeout();
			reason = "no answer within " + property + " (" + timeout.toMillis() + "ms): " + reason;
		}
		return new StateStoreStartupException(database, properties.getUrl(), reason, property, ex);
	}

	private static HikariConfig hikariConfig(StateDatabase database, ClambakeStateProperties properties) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("clambake-state");
		config.setJdbcUrl(properties.getUrl());
		config.setDriverClassName(database.driverClassName());
		config.setUsername(properties.getUsername());
		config.setPassword(properties.getPassword());
		config.setMaximumPoolSize(properties.getPool().getMaximumSize());
		config.setMinimumIdle(Math.min(2, properties.getPool().getMaximumSize()));
		long connectionTimeout = properties.getPool().getConnectionTimeout().toMillis();
		config.setConnectionTimeout(connectionTimeout);
		config.setValidationTimeout(Math.min(connectionTimeout, properties.getConnectTimeout().toMillis()));
		// One attempt at start-up, bounded by the driver's login timeout: a database that is not
		// there stops start-up within clambake.state.connect-timeout instead of hanging it
		config.setInitializationFailTimeout(1);
		config.setExceptionOverride(new EvictUnavailable(database));
		config.setAutoCommit(true);
		if (database == StateDatabase.SQLITE) {
			ClambakeStateProperties.Sqlite sqlite = properties.getSqlite();
			Properties pragmas = new Properties();
			pragmas.setProperty("journal_mode", sqlite.getJournalMode().name());
			pragmas.setProperty("synchronous", sqlite.getSynchronous().name());
			pragmas.setProperty("busy_timeout", Long.toString(sqlite.getBusyTimeout().toMillis()));
			config.setDataSourceProperties(pragmas);
		}
		else {
			Properties driver = new Properties();
			driver.setProperty("connectTimeout", seconds(properties.getConnectTimeout()));
			driver.setProperty("loginTimeout", seconds(properties.getConnectTimeout()));
			driver.setProperty("socketTimeout", seconds(properties.getSocketTimeout()));
			config.setDataSourceProperties(driver);
			// Set per connection rather than in the URL's options, which the user's URL may carry
			config.setConnectionInitSql("SET statement_timeout = " + properties.getStatementTimeout().toMillis());
		}
		return config;
	}

	private static String seconds(Duration duration) {
		return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
	}

	private static void createDirectories(String url) {
		String path = url.substring("jdbc:sqlite:".length());
		int query = path.indexOf('?');
		if (query >= 0) {
			path = path.substring(0, query);
		}
		if (path.startsWith("file:")) {
			path = path.substring("file:".length());
		}
		if (path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory")) {
			return;
		}
		Path parent = Path.of(path).toAbsolutePath().getParent();
		if (parent != null) {
			try {
				Files.createDirectories(parent);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not create the state store's directory " + parent, ex);
			}
		}
	}

	/**
	 * Evicts a connection that saw the database unavailable, so the pool opens a new one once
	 * the fault clears: an SQLite connection opened on a read-only file stays read-only.
	 */
	private record EvictUnavailable(StateDatabase database) implements SQLExceptionOverride {

		public SQLExceptionOverride.Override adjudicate(SQLException ex) {
			return (this.database.unavailableReason(ex) != null) ? SQLExceptionOverride.Override.MUST_EVICT
					: SQLExceptionOverride.Override.CONTINUE_EVICT;
		}

	}

}
