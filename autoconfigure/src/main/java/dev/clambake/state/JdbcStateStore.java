package dev.clambake.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.clambake.correlation.CorrelationIds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import org.springframework.util.ClassUtils;

/**
 * The JDBC {@link StateStore}: SQLite or PostgreSQL, with its own HikariCP pool and its own
 * Flyway migrations (history table {@value #SCHEMA_HISTORY_TABLE}).
 * <p>
 * On SQLite, writes within one JVM take turns on a lock before they begin an {@code IMMEDIATE}
 * transaction, and busy or locked errors from other processes are retried with back-off up to
 * {@code clambake.state.busy-retry.max-attempts}. A write returns only after its commit
 * succeeded; it throws otherwise.
 */
public final class JdbcStateStore implements StateStore, AutoCloseable {

	/**
	 * The Flyway schema history table of the store's own migrations.
	 */
	public static final String SCHEMA_HISTORY_TABLE = "clambake_state_schema_history";

	static final int MAX_PAGE_SIZE = 1000;

	private static final Log logger = LogFactory.getLog(JdbcStateStore.class);

	private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._\\-:@/]{1,256}");

	private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._\\-:@/]{0,256}");

	// Every character a key may hold sorts below DEL, so prefix + DEL bounds a prefix range
	private static final char ABOVE_KEY_CHARACTERS = '\u007f';

	private static final JsonFactory JSON = new JsonFactory();

	private static final String SELECT_ONE = "SELECT value, version, created_at, updated_at FROM clambake_state "
			+ "WHERE namespace = ? AND state_key = ?";

	private static final String HEARTBEAT = "UPDATE clambake_state_heartbeat SET checked_at = ? WHERE id = 1";

	private static final String SELECT_VERSION = "SELECT version FROM clambake_state WHERE namespace = ? AND state_key = ?";

	private static final String INSERT = "INSERT INTO clambake_state "
			+ "(namespace, state_key, value, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?) "
			+ "ON CONFLICT (namespace, state_key) DO NOTHING";

	private static final String UPDATE = "UPDATE clambake_state SET value = ?, version = ?, updated_at = ? "
			+ "WHERE namespace = ? AND state_key = ? AND version = ? RETURNING created_at";

	private static final String DELETE = "DELETE FROM clambake_state WHERE namespace = ? AND state_key = ? AND version = ?";

	private static final String LIST = "SELECT state_key, value, version, created_at, updated_at FROM clambake_state "
			+ "WHERE namespace = ? AND state_key >= ? AND state_key < ? AND state_key > ? ORDER BY state_key LIMIT ?";

	private static final String INSERT_AUDIT = "INSERT INTO clambake_state_audit "
			+ "(namespace, state_key, action, old_version, new_version, actor, correlation_id, trace_id, occurred_at) "
			+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

	private static final String AUDIT_COLUMNS = "SELECT id, action, namespace, state_key, old_version, new_version, "
			+ "actor, correlation_id, trace_id, occurred_at FROM clambake_state_audit ";

	private static final String LIST_AUDIT = AUDIT_COLUMNS + "WHERE namespace = ? AND id > ? ORDER BY id LIMIT ?";

	private static final String LIST_KEY_AUDIT = AUDIT_COLUMNS
			+ "WHERE namespace = ? AND state_key = ? AND id > ? ORDER BY id LIMIT ?";

	private final StateDatabase database;

	private final HikariDataSource dataSource;

	private final List<StateStoreListener> listeners;

	private final long maxValueBytes;

	private final int maxAttempts;

	private final long initialBackoffMillis;

	private final long maxBackoffMillis;

	private final long shutdownTimeoutMillis;

	private final @Nullable ReentrantLock writeLock;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final CountDownLatch drained = new CountDownLatch(1);

	private volatile boolean closed;

	private JdbcStateStore(StateDatabase database, HikariDataSource dataSource, ClambakeStateProperties properties,
			List<StateStoreListener> listeners) {
		this.database = database;
		this.dataSource = dataSource;
		this.listeners = List.copyOf(listeners);
		this.maxValueBytes = properties.getMaxValueSize().toBytes();
		this.maxAttempts = properties.getBusyRetry().getMaxAttempts();
		this.initialBackoffMillis = properties.getBusyRetry().getInitialBackoff().toMillis();
		this.maxBackoffMillis = properties.getBusyRetry().getMaxBackoff().toMillis();
		this.shutdownTimeoutMillis = properties.getShutdownTimeout().toMillis();
		this.writeLock = (database == StateDatabase.SQLITE) ? new ReentrantLock() : null;
	}

	/**
	 * Open a store: create its pool, migrate its schema and return it ready to use.
	 * @param properties the store's settings
	 * @param listeners told about operations and committed mutations
	 * @return the open store; close it to close its pool
	 */
	public static JdbcStateStore open(ClambakeStateProperties properties, List<StateStoreListener> listeners) {
		return open(properties, listeners, JdbcStateStore.class.getClassLoader());
	}

	/**
	 * Open a store: create its pool, migrate its schema and return it ready to use.
	 * @param properties the store's settings
	 * @param listeners told about operations and committed mutations
	 * @param classLoader the class loader that finds the JDBC driver and the migrations
	 * @return the open store; close it to close its pool
	 */
	public static JdbcStateStore open(ClambakeStateProperties properties, List<StateStoreListener> listeners,
			@Nullable ClassLoader classLoader) {
		StateDatabase database = StateDatabase.of(properties.getUrl());
		if (classLoader == null) {
			classLoader = JdbcStateStore.class.getClassLoader();
		}
		if (!ClassUtils.isPresent(database.driverClassName(), classLoader)) {
			throw new IllegalStateException("clambake.state.url is a " + database.id() + " URL but its JDBC driver ("
					+ database.driverArtifact() + ") is not on the class path");
		}
		if (database == StateDatabase.SQLITE) {
			createDirectories(properties.getUrl());
		}
		HikariDataSource dataSource;
		try {
			dataSource = new HikariDataSource(hikariConfig(database, properties));
		}
		catch (RuntimeException ex) {
			throw startupFailure(database, properties, ex, "clambake.state.connect-timeout");
		}
		try {
			migrate(database, dataSource, classLoader);
		}
		catch (RuntimeException ex) {
			dataSource.close();
			if (database.unavailableReason(ex) != null) {
				throw startupFailure(database, properties, ex, "clambake.state.socket-timeout");
			}
			throw ex;
		}
		JdbcStateStore store = new JdbcStateStore(database, dataSource, properties, listeners);
		HealthCheck health = store.checkHealth(properties.getConnectTimeout());
		if (!health.up()) {
			// A store that cannot write is reported DOWN; start-up goes on so that the fault,
			// once cleared, heals without a restart
			logger.warn("The state store at " + StateStoreStartupException.maskedUrl(properties.getUrl())
					+ " cannot write: " + health.reason());
		}
		return store;
	}

	private static StateStoreStartupException startupFailure(StateDatabase database,
			ClambakeStateProperties properties, RuntimeException ex, String timeoutProperty) {
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

	private static void migrate(StateDatabase database, HikariDataSource dataSource, ClassLoader classLoader) {
		try {
			// Baseline at 0 so a database that already holds the application's own tables is
			// accepted and every migration of the store still runs; clean is never allowed
			Flyway.configure(classLoader)
				.dataSource(dataSource)
				.locations(database.migrationLocation())
				.table(SCHEMA_HISTORY_TABLE)
				.baselineOnMigrate(true)
				.baselineVersion("0")
				.cleanDisabled(true)
				.load()
				.migrate();
		}
		catch (FlywayException ex) {
			String hint = (database == StateDatabase.POSTGRESQL && String.valueOf(ex.getMessage()).contains("Unsupported"))
					? " (add org.flywaydb:flyway-database-postgresql to the class path)" : "";
			throw new IllegalStateException("Could not migrate the state store's schema" + hint + ": " + ex.getMessage(),
					ex);
		}
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

	@Override
	public Optional<StateRecord> get(String namespace, String key) {
		return run("get", () -> {
			validateNamespace(namespace);
			validateKey(key);
			return read("get", (connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(SELECT_ONE)) {
					statement.setString(1, namespace);
					statement.setString(2, key);
					try (ResultSet rs = statement.executeQuery()) {
						if (!rs.next()) {
							return Optional.empty();
						}
						return Optional.of(new StateRecord(namespace, key, rs.getString(1), rs.getLong(2),
								Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4))));
					}
				}
			});
		});
	}

	@Override
	public StateRecord create(String namespace, String key, String json, @Nullable String actor) {
		return run("create", () -> {
			validateNamespace(namespace);
			validateKey(key);
			validateValue(json);
			Context context = Context.capture(actor);
			return write("create", (connection) -> {
				Instant now = now();
				try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
					statement.setString(1, namespace);
					statement.setString(2, key);
					statement.setString(3, json);
					statement.setLong(4, now.toEpochMilli());
					statement.setLong(5, now.toEpochMilli());
					if (statement.executeUpdate() == 0) {
						throw new StateConflictException(namespace, key, 0, currentVersion(connection, namespace, key));
					}
				}
				StateAuditRecord audit = insertAudit(connection, StateAuditRecord.Action.CREATED, namespace, key, null,
						1L, context, now);
				return new Written<>(new StateRecord(namespace, key, json, 1, now, now), audit);
			});
		});
	}

	@Override
	public StateRecord replace(String namespace, String key, String json, long expectedVersion,
			@Nullable String actor) {
		return run("replace", () -> {
			validateNamespace(namespace);
			validateKey(key);
			validateValue(json);
			validateVersion(expectedVersion);
			Context context = Context.capture(actor);
			return write("replace", (connection) -> {
				Instant now = now();
				long newVersion = expectedVersion + 1;
				Instant createdAt;
				try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
					statement.setString(1, json);
					statement.setLong(2, newVersion);
					statement.setLong(3, now.toEpochMilli());
					statement.setString(4, namespace);
					statement.setString(5, key);
					statement.setLong(6, expectedVersion);
					try (ResultSet rs = statement.executeQuery()) {
						if (!rs.next()) {
							throw new StateConflictException(namespace, key, expectedVersion,
									currentVersion(connection, namespace, key));
						}
						createdAt = Instant.ofEpochMilli(rs.getLong(1));
					}
				}
				StateAuditRecord audit = insertAudit(connection, StateAuditRecord.Action.UPDATED, namespace, key,
						expectedVersion, newVersion, context, now);
				return new Written<>(new StateRecord(namespace, key, json, newVersion, createdAt, now), audit);
			});
		});
	}

	@Override
	public void delete(String namespace, String key, long expectedVersion, @Nullable String actor) {
		run("delete", () -> {
			validateNamespace(namespace);
			validateKey(key);
			validateVersion(expectedVersion);
			Context context = Context.capture(actor);
			write("delete", (connection) -> {
				Instant now = now();
				try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
					statement.setString(1, namespace);
					statement.setString(2, key);
					statement.setLong(3, expectedVersion);
					if (statement.executeUpdate() == 0) {
						throw new StateConflictException(namespace, key, expectedVersion,
								currentVersion(connection, namespace, key));
					}
				}
				StateAuditRecord audit = insertAudit(connection, StateAuditRecord.Action.DELETED, namespace, key,
						expectedVersion, null, context, now);
				return new Written<>(Boolean.TRUE, audit);
			});
			return Boolean.TRUE;
		});
	}

	@Override
	public StatePage<StateRecord> list(String namespace, String keyPrefix, @Nullable String pageToken, int pageSize) {
		return run("list", () -> {
			validateNamespace(namespace);
			if (!KEY_PREFIX.matcher(keyPrefix).matches()) {
				throw new IllegalArgumentException("Invalid key prefix: up to 256 characters of A-Z a-z 0-9 . _ - : @ /");
			}
			if (pageToken != null) {
				validateKey(pageToken);
			}
			validatePageSize(pageSize);
			return read("list", (connection) -> {
				List<StateRecord> records = new ArrayList<>();
				try (PreparedStatement statement = connection.prepareStatement(LIST)) {
					statement.setString(1, namespace);
					statement.setString(2, keyPrefix);
					statement.setString(3, keyPrefix + ABOVE_KEY_CHARACTERS);
					statement.setString(4, (pageToken != null) ? pageToken : "");
					statement.setInt(5, pageSize + 1);
					try (ResultSet rs = statement.executeQuery()) {
						while (rs.next()) {
							records.add(new StateRecord(namespace, rs.getString(1), rs.getString(2), rs.getLong(3),
									Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))));
						}
					}
				}
				if (records.size() > pageSize) {
					List<StateRecord> page = records.subList(0, pageSize);
					return new StatePage<>(page, page.get(pageSize - 1).key());
				}
				return new StatePage<>(records, null);
			});
		});
	}

	@Override
	public StatePage<StateAuditRecord> audit(String namespace, @Nullable String key, @Nullable String pageToken,
			int pageSize) {
		return run("audit", () -> {
			validateNamespace(namespace);
			if (key != null) {
				validateKey(key);
			}
			validatePageSize(pageSize);
			long after = parseAuditToken(pageToken);
			return read("audit", (connection) -> {
				List<StateAuditRecord> records = new ArrayList<>();
				try (PreparedStatement statement = connection.prepareStatement((key != null) ? LIST_KEY_AUDIT : LIST_AUDIT)) {
					int index = 1;
					statement.setString(index++, namespace);
					if (key != null) {
						statement.setString(index++, key);
					}
					statement.setLong(index++, after);
					statement.setInt(index, pageSize + 1);
					try (ResultSet rs = statement.executeQuery()) {
						while (rs.next()) {
							records.add(auditRecord(rs));
						}
					}
				}
				if (records.size() > pageSize) {
					List<StateAuditRecord> page = records.subList(0, pageSize);
					return new StatePage<>(page, Long.toString(page.get(pageSize - 1).id()));
				}
				return new StatePage<>(records, null);
			});
		});
	}

	/**
	 * Check that the store's database answers.
	 * @param timeoutSeconds how long the check may take
	 * @return whether a connection was valid within the time
	 */
	public boolean isHealthy(int timeoutSeconds) {
		return checkHealth(Duration.ofSeconds(timeoutSeconds)).up();
	}

	/**
	 * Check that the store's database takes a write: update its heartbeat row in a transaction
	 * that is rolled back, so nothing is written.
	 * @param timeout how long the check may take
	 * @return whether the write went through, and why not
	 */
	HealthCheck checkHealth(Duration timeout) {
		if (this.closed) {
			return new HealthCheck(false, "the store is closed");
		}
		ReentrantLock lock = this.writeLock;
		try {
			if (lock != null && !lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				// Writes are queued behind one that is running: busy is not broken
				return new HealthCheck(true, null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new HealthCheck(false, "interrupted");
		}
		try (Connection connection = this.dataSource.getConnection()) {
			begin(connection);
			try (PreparedStatement statement = connection.prepareStatement(HEARTBEAT)) {
				statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
				statement.setLong(1, System.currentTimeMillis());
				statement.executeUpdate();
			}
			finally {
				rollback(connection, new SQLException("health check"));
			}
			return new HealthCheck(true, null);
		}
		catch (SQLException ex) {
			String reason = this.database.unavailableReason(ex);
			return new HealthCheck(false, (reason != null) ? reason : String.valueOf(ex.getMessage()));
		}
		finally {
			if (lock != null) {
				lock.unlock();
			}
		}
	}

	/**
	 * Return the database the store runs on.
	 * @return {@code sqlite} or {@code postgresql}
	 */
	public String getDatabase() {
		return this.database.id();
	}

	/**
	 * Refuse new operations, wait up to {@code clambake.state.shutdown-timeout} for the ones in
	 * progress, then close the pool.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.inFlight.get() == 0) {
			this.drained.countDown();
		}
		try {
			if (!this.drained.await(this.shutdownTimeoutMillis, TimeUnit.MILLISECONDS)) {
				logger.warn("Closing the state store with " + this.inFlight.get() + " operation(s) still in progress");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.dataSource.close();
	}

	private <T> T run(String operation, Work<T> work) {
		long start = System.nanoTime();
		String outcome = "error";
		this.inFlight.incrementAndGet();
		try {
			if (this.closed) {
				throw new StateStoreException("The state store is closed");
			}
			T result = work.run();
			outcome = (result instanceof Optional<?> optional && optional.isEmpty()) ? "not_found" : "success";
			return result;
		}
		catch (StateConflictException ex) {
			outcome = "conflict";
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			outcome = "invalid";
			throw ex;
		}
		catch (StateStoreBusyException ex) {
			outcome = "busy";
			throw ex;
		}
		catch (StateStoreUnavailableException ex) {
			outcome = "unavailable";
			throw ex;
		}
		finally {
			if (this.inFlight.decrementAndGet() == 0 && this.closed) {
				this.drained.countDown();
			}
			long nanos = System.nanoTime() - start;
			for (StateStoreListener listener : this.listeners) {
				listener.onOperation(operation, outcome, nanos);
			}
		}
	}

	private <T> T read(String operation, ConnectionWork<T> work) {
		for (int attempt = 1;; attempt++) {
			try (Connection connection = this.dataSource.getConnection()) {
				return work.run(connection);
			}
			catch (SQLException ex) {
				backOffOrThrow(operation, attempt, ex);
			}
		}
	}

	private <T> T write(String operation, ConnectionWork<Written<T>> work) {
		Written<T> written = null;
		for (int attempt = 1; written == null; attempt++) {
			try {
				written = writeOnce(work);
			}
			catch (SQLException ex) {
				backOffOrThrow(operation, attempt, ex);
			}
		}
		for (StateStoreListener listener : this.listeners) {
			try {
				listener.onAudit(written.audit());
			}
			catch (RuntimeException ex) {
				logger.warn("State store listener failed on " + written.audit(), ex);
			}
		}
		return written.result();
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

	private static long currentVersion(Connection connection, String namespace, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(SELECT_VERSION)) {
			statement.setString(1, namespace);
			statement.setString(2, key);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? rs.getLong(1) : 0;
			}
		}
	}

	private static StateAuditRecord insertAudit(Connection connection, StateAuditRecord.Action action,
			String namespace, String key, @Nullable Long oldVersion, @Nullable Long newVersion, Context context,
			Instant now) throws SQLException {
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

	private static StateAuditRecord auditRecord(ResultSet rs) throws SQLException {
		long oldVersion = rs.getLong(5);
		Long old = rs.wasNull() ? null : oldVersion;
		long newVersion = rs.getLong(6);
		Long updated = rs.wasNull() ? null : newVersion;
		return new StateAuditRecord(rs.getLong(1), StateAuditRecord.Action.valueOf(rs.getString(2)), rs.getString(3),
				rs.getString(4), old, updated, rs.getString(7), rs.getString(8), rs.getString(9),
				Instant.ofEpochMilli(rs.getLong(10)));
	}

	private static Instant now() {
		return Instant.ofEpochMilli(System.currentTimeMillis());
	}

	private static long parseAuditToken(@Nullable String pageToken) {
		if (pageToken == null) {
			return 0;
		}
		try {
			long after = Long.parseLong(pageToken);
			if (after < 0) {
				throw new NumberFormatException();
			}
			return after;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid audit page token");
		}
	}

	private static void validateNamespace(String namespace) {
		if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
			throw new IllegalArgumentException(
					"Invalid namespace: 1 to 64 characters of a-z 0-9 . _ -, starting with a letter or digit");
		}
	}

	private static void validateKey(String key) {
		if (key == null || !KEY.matcher(key).matches()) {
			throw new IllegalArgumentException("Invalid key: 1 to 256 characters of A-Z a-z 0-9 . _ - : @ /");
		}
	}

	private static void validateVersion(long version) {
		if (version < 1) {
			throw new IllegalArgumentException("Invalid expected version " + version + ": versions start at 1");
		}
	}

	private static void validatePageSize(int pageSize) {
		if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("Invalid page size " + pageSize + ": 1 to " + MAX_PAGE_SIZE);
		}
	}

	private void validateValue(String json) {
		if (json == null) {
			throw new IllegalArgumentException("Invalid value: null");
		}
		// UTF-8 takes at most 3 bytes per char; only count exactly when the value might be too big
		if ((long) json.length() * 3 > this.maxValueBytes
				&& json.getBytes(StandardCharsets.UTF_8).length > this.maxValueBytes) {
			throw new IllegalArgumentException("Invalid value: larger than clambake.state.max-value-size ("
					+ this.maxValueBytes + " bytes)");
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				throw new IllegalArgumentException("Invalid value: not a JSON document (empty)");
			}
			// Every string is decoded: a lone surrogate, raw or escaped, would be stored as '?'
			int depth = 0;
			do {
				if ((token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME)
						&& hasUnpairedSurrogate(parser.getString())) {
					throw new IllegalArgumentException("Invalid value: the " + ((token == JsonToken.PROPERTY_NAME)
							? "name" : "string") + " at '" + parser.streamReadContext().pathAsPointer()
							+ "' holds an unpaired UTF-16 surrogate, which is not Unicode text and cannot be stored");
				}
				depth += token.isStructStart() ? 1 : (token.isStructEnd() ? -1 : 0);
			}
			while (depth > 0 && (token = parser.nextToken()) != null);
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("Invalid value: more than one JSON document");
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Invalid value: not a JSON document ("
					+ ex.getOriginalMessage().toLowerCase(Locale.ROOT) + ")");
		}
	}

	private static boolean hasUnpairedSurrogate(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return true;
			}
		}
		return false;
	}

	@FunctionalInterface
	private interface Work<T> {

		T run();

	}

	@FunctionalInterface
	private interface ConnectionWork<T> {

		T run(Connection connection) throws SQLException;

	}

	/**
	 * The outcome of a health check.
	 */
	record HealthCheck(boolean up, @Nullable String reason) {

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

	private record Written<T>(T result, StateAuditRecord audit) {

	}

	private record Context(@Nullable String actor, @Nullable String correlationId, @Nullable String traceId) {

		static Context capture(@Nullable String actor) {
			if (actor != null && (actor.isEmpty() || actor.length() > 256 || hasUnpairedSurrogate(actor))) {
				throw new IllegalArgumentException("Invalid actor: 1 to 256 characters of Unicode text");
			}
			return new Context(actor, MDC.get(CorrelationIds.MDC_KEY), MDC.get("traceId"));
		}

	}

}
