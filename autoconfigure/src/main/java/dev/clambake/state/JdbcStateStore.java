package dev.clambake.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.clambake.state.StateSql.AuditContext;
import dev.clambake.state.StateTransactions.Written;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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

	private static final Log logger = LogFactory.getLog(JdbcStateStore.class);

	private final StateDatabase database;

	private final HikariDataSource dataSource;

	private final StateTransactions transactions;

	private final List<StateStoreListener> listeners;

	private final long maxValueBytes;

	private final long shutdownTimeoutMillis;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final CountDownLatch drained = new CountDownLatch(1);

	private volatile boolean closed;

	private JdbcStateStore(StateDatabase database, HikariDataSource dataSource, ClambakeStateProperties properties,
			List<StateStoreListener> listeners) {
		this.database = database;
		this.dataSource = dataSource;
		this.listeners = List.copyOf(listeners);
		this.transactions = new StateTransactions(database, dataSource, properties, this.listeners);
		this.maxValueBytes = properties.getMaxValueSize().toBytes();
		this.shutdownTimeoutMillis = properties.getShutdownTimeout().toMillis();
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
		HikariDataSource dataSource = StatePool.open(database, properties);
		try {
			StateMigrations.migrate(database, dataSource, classLoader);
		}
		catch (RuntimeException ex) {
			dataSource.close();
			if (database.unavailableReason(ex) != null) {
				throw StatePool.startupFailure(database, properties, ex, "clambake.state.socket-timeout");
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

	@Override
	public Optional<StateRecord> get(String namespace, String key) {
		return run("get", () -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			return this.transactions.read("get", (connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(StateSql.SELECT_ONE)) {
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
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			StateValues.validateValue(json, this.maxValueBytes);
			AuditContext context = AuditContext.capture(actor);
			return this.transactions.write("create", (connection) -> {
				Instant now = now();
				try (PreparedStatement statement = connection.prepareStatement(StateSql.INSERT)) {
					statement.setString(1, namespace);
					statement.setString(2, key);
					statement.setString(3, json);
					statement.setLong(4, now.toEpochMilli());
					statement.setLong(5, now.toEpochMilli());
					if (statement.executeUpdate() == 0) {
						throw new StateConflictException(namespace, key, 0,
								StateSql.currentVersion(connection, namespace, key));
					}
				}
				StateAuditRecord audit = StateSql.insertAudit(connection, StateAuditRecord.Action.CREATED, namespace,
						key, null, 1L, context, now);
				return new Written<>(new StateRecord(namespace, key, json, 1, now, now), audit);
			});
		});
	}

	@Override
	public StateRecord replace(String namespace, String key, String json, long expectedVersion,
			@Nullable String actor) {
		return run("replace", () -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			StateValues.validateValue(json, this.maxValueBytes);
			StateValues.validateVersion(expectedVersion);
			AuditContext context = AuditContext.capture(actor);
			return this.transactions.write("replace", (connection) -> {
				Instant now = now();
				long newVersion = expectedVersion + 1;
				Instant createdAt;
				try (PreparedStatement statement = connection.prepareStatement(StateSql.UPDATE)) {
					statement.setString(1, json);
					statement.setLong(2, newVersion);
					statement.setLong(3, now.toEpochMilli());
					statement.setString(4, namespace);
					statement.setString(5, key);
					statement.setLong(6, expectedVersion);
					try (ResultSet rs = statement.executeQuery()) {
						if (!rs.next()) {
							throw new StateConflictException(namespace, key, expectedVersion,
									StateSql.currentVersion(connection, namespace, key));
						}
						createdAt = Instant.ofEpochMilli(rs.getLong(1));
					}
				}
				StateAuditRecord audit = StateSql.insertAudit(connection, StateAuditRecord.Action.UPDATED, namespace,
						key, expectedVersion, newVersion, context, now);
				return new Written<>(new StateRecord(namespace, key, json, newVersion, createdAt, now), audit);
			});
		});
	}

	@Override
	public void delete(String namespace, String key, long expectedVersion, @Nullable String actor) {
		run("delete", () -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			StateValues.validateVersion(expectedVersion);
			AuditContext context = AuditContext.capture(actor);
			this.transactions.write("delete", (connection) -> {
				Instant now = now();
				try (PreparedStatement statement = connection.prepareStatement(StateSql.DELETE)) {
					statement.setString(1, namespace);
					statement.setString(2, key);
					statement.setLong(3, expectedVersion);
					if (statement.executeUpdate() == 0) {
						throw new StateConflictException(namespace, key, expectedVersion,
								StateSql.currentVersion(connection, namespace, key));
					}
				}
				StateAuditRecord audit = StateSql.insertAudit(connection, StateAuditRecord.Action.DELETED, namespace,
						key, expectedVersion, null, context, now);
				return new Written<>(Boolean.TRUE, audit);
			});
			return Boolean.TRUE;
		});
	}

	@Override
	public StatePage<StateRecord> list(String namespace, String keyPrefix, @Nullable String pageToken, int pageSize) {
		return run("list", () -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKeyPrefix(keyPrefix);
			if (pageToken != null) {
				StateValues.validateKey(pageToken);
			}
			StateValues.validatePageSize(pageSize);
			return this.transactions.read("list", (connection) -> {
				List<StateRecord> records = new ArrayList<>();
				try (PreparedStatement statement = connection.prepareStatement(StateSql.LIST)) {
					statement.setString(1, namespace);
					statement.setString(2, keyPrefix);
					statement.setString(3, keyPrefix + StateSql.ABOVE_KEY_CHARACTERS);
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
			StateValues.validateNamespace(namespace);
			if (key != null) {
				StateValues.validateKey(key);
			}
			StateValues.validatePageSize(pageSize);
			long after = StateValues.parseAuditToken(pageToken);
			return this.transactions.read("audit", (connection) -> {
				List<StateAuditRecord> records = new ArrayList<>();
				String sql = (key != null) ? StateSql.LIST_KEY_AUDIT : StateSql.LIST_AUDIT;
				try (PreparedStatement statement = connection.prepareStatement(sql)) {
					int index = 1;
					statement.setString(index++, namespace);
					if (key != null) {
						statement.setString(index++, key);
					}
					statement.setLong(index++, after);
					statement.setInt(index, pageSize + 1);
					try (ResultSet rs = statement.executeQuery()) {
						while (rs.next()) {
							records.add(StateSql.auditRecord(rs));
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
		return this.transactions.checkWrite(timeout);
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

	private static Instant now() {
		return Instant.ofEpochMilli(System.currentTimeMillis());
	}

	@FunctionalInterface
	private interface Work<T> {

		T run();

	}

	/**
	 * The outcome of a health check.
	 */
	record HealthCheck(boolean up, @Nullable String reason) {

	}

}
