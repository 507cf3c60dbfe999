package dev.clambake.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.clambake.state.ClambakeStateProperties.OnStartUpUnavailable;
import dev.clambake.state.StateSql.AuditContext;
import dev.clambake.state.StateTransactions.Written;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
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
 * <p>
 * A store opened with {@code clambake.state.on-start-up-unavailable=start-not-ready} while its
 * database is unavailable is not ready: its operations throw
 * {@link StateStoreUnavailableException} and its health is DOWN until the daemon thread
 * {@code clambake-state-connect} has connected and migrated, retrying with a back-off from 1s
 * doubling up to 30s.
 */
public final class JdbcStateStore implements StateStore, StateLeaseTable, AutoCloseable {

	/**
	 * The Flyway schema history table of the store's own migrations.
	 */
	public static final String SCHEMA_HISTORY_TABLE = "clambake_state_schema_history";

	private static final Log logger = LogFactory.getLog(JdbcStateStore.class);

	// Back-off of the background connection attempts when the store starts not ready
	private static final long INITIAL_CONNECT_BACKOFF_MILLIS = 1000;

	private static final long MAX_CONNECT_BACKOFF_MILLIS = 30_000;

	private final StateDatabase database;

	private final ClambakeStateProperties properties;

	private final ClassLoader classLoader;

	private final List<StateStoreListener> listeners;

	private final long maxValueBytes;

	private final long shutdownTimeoutMillis;

	private final StateLeaseSql leaseSql;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final CountDownLatch drained = new CountDownLatch(1);

	private final Object lifecycle = new Object();

	private volatile @Nullable Connected connected;

	private volatile NotReady notReady = new NotReady("not started", new IllegalStateException("not started"));

	private volatile @Nullable Thread connector;

	private volatile boolean closed;

	private final ObservationRegistry observations;

	private JdbcStateStore(StateDatabase database, ClambakeStateProperties properties,
			List<StateStoreListener> listeners, ClassLoader classLoader, @Nullable HikariDataSource dataSource,
			ObservationRegistry observations) {
		this.observations = observations;
		this.database = database;
		this.properties = properties;
		this.classLoader = classLoader;
		this.listeners = List.copyOf(listeners);
		this.maxValueBytes = properties.getMaxValueSize().toBytes();
		this.shutdownTimeoutMillis = properties.getShutdownTimeout().toMillis();
		this.leaseSql = new StateLeaseSql(database);
		if (dataSource != null) {
			this.connected = connected(dataSource);
		}
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
	 * @return the open store; close it to close its pool. With
	 * {@code clambake.state.on-start-up-unavailable=start-not-ready} and the database
	 * unavailable, a store that is not yet ready and connects in the background
	 * @throws StateStoreStartupException if the database cannot be used
	 */
	public static JdbcStateStore open(ClambakeStateProperties properties, List<StateStoreListener> listeners,
			@Nullable ClassLoader classLoader) {
		return open(properties, listeners, classLoader, ObservationRegistry.NOOP);
	}

	/**
	 * Open a store whose operations are observations ({@value StateStoreObservation#NAME}): a
	 * span when sampled, a timer and a slow-operation warning from the registry's handlers.
	 * @param properties the store's settings
	 * @param listeners told about operations and committed mutations
	 * @param classLoader the class loader that finds the JDBC driver and the migrations
	 * @param observations where each operation's observation is made
	 * @return the open store, as {@link #open(ClambakeStateProperties, List, ClassLoader)}
	 * @throws StateStoreStartupException if the database cannot be used
	 */
	public static JdbcStateStore open(ClambakeStateProperties properties, List<StateStoreListener> listeners,
			@Nullable ClassLoader classLoader, ObservationRegistry observations) {
		StateDatabase database = StateDatabase.of(properties.getUrl());
		if (classLoader == null) {
			classLoader = JdbcStateStore.class.getClassLoader();
		}
		if (!ClassUtils.isPresent(database.driverClassName(), classLoader)) {
			throw new IllegalStateException("clambake.state.url is a " + database.id() + " URL but its JDBC driver ("
					+ database.driverArtifact() + ") is not on the class path");
		}
		HikariDataSource dataSource;
		try {
			dataSource = connect(database, properties, classLoader);
		}
		catch (StateStoreStartupException ex) {
			String reason = database.unavailableReason(ex);
			if (properties.getOnStartUpUnavailable() != OnStartUpUnavailable.START_NOT_READY || reason == null) {
				throw ex;
			}
			JdbcStateStore store = new JdbcStateStore(database, properties, listeners, classLoader, null, observations);
			store.connectInBackground(reason, ex);
			return store;
		}
		JdbcStateStore store = new JdbcStateStore(database, properties, listeners, classLoader, dataSource,
				observations);
		HealthCheck health = store.checkHealth(properties.getConnectTimeout());
		if (!health.up()) {
			// A store that cannot write is reported DOWN; start-up goes on so that the fault,
			// once cleared, heals without a restart
			logger.warn("The state store at " + StateStoreStartupException.maskedUrl(properties.getUrl())
					+ " cannot write: " + health.reason());
		}
		return store;
	}

	private static HikariDataSource connect(StateDatabase database, ClambakeStateProperties properties,
			ClassLoader classLoader) {
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
		return dataSource;
	}

	private Connected connected(HikariDataSource dataSource) {
		return new Connected(dataSource,
				new StateTransactions(this.database, dataSource, this.properties, this.listeners));
	}

	private void connectInBackground(String reason, RuntimeException failure) {
		this.notReady = new NotReady(reason, failure);
		logger.warn("The state store at " + StateStoreStartupException.maskedUrl(this.properties.getUrl())
				+ " is not yet connected (" + reason + "); starting not ready and connecting in the background");
		Thread thread = new Thread(this::connectUntilReady, "clambake-state-connect");
		thread.setDaemon(true);
		this.connector = thread;
		thread.start();
	}

	private void connectUntilReady() {
		long backoff = INITIAL_CONNECT_BACKOFF_MILLIS;
		while (!this.closed) {
			try {
				Thread.sleep(backoff);
			}
			catch (InterruptedException ex) {
				return;
			}
			HikariDataSource dataSource;
			try {
				dataSource = connect(this.database, this.properties, this.classLoader);
			}
			catch (RuntimeException ex) {
				if (this.closed) {
					return;
				}
				String reason = this.database.unavailableReason(ex);
				if (reason == null) {
					reason = String.valueOf(ex.getMessage());
					logger.error("The state store could not connect to its database; retrying", ex);
				}
				this.notReady = new NotReady(reason, ex);
				// Doubling, and bounded so a database that comes back is found within 30s
				backoff = Math.min(backoff * 2, MAX_CONNECT_BACKOFF_MILLIS);
				continue;
			}
			synchronized (this.lifecycle) {
				if (!this.closed) {
					this.connected = connected(dataSource);
					logger.info("The state store at " + StateStoreStartupException.maskedUrl(this.properties.getUrl())
							+ " is connected and ready");
					return;
				}
			}
			dataSource.close();
			return;
		}
	}

	/**
	 * Return whether the store has connected to its database and run its migrations.
	 * @return {@code false} while a store started not ready is still connecting
	 */
	public boolean isReady() {
		return this.connected != null && !this.closed;
	}

	@Override
	public Optional<StateRecord> get(String namespace, String key) {
		return run("get", (transactions) -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			return transactions.read("get", (connection) -> {
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
		return create(namespace, key, json, actor, null, "create");
	}

	@Override
	public StateRecord create(String namespace, String key, String json, @Nullable String actor, StateFence fence) {
		return create(namespace, key, json, actor, fence, "fenced_create");
	}

	private StateRecord create(String namespace, String key, String json, @Nullable String actor,
			@Nullable StateFence fence, String operation) {
		return run(operation, (transactions) -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			StateValues.validateValue(json, this.maxValueBytes);
			AuditContext context = AuditContext.capture(actor);
			return transactions.write(operation, (connection) -> {
				if (fence != null) {
					this.leaseSql.checkFence(connection, "create", fence);
				}
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
		return replace(namespace, key, json, expectedVersion, actor, null, "replace");
	}

	@Override
	public StateRecord replace(String namespace, String key, String json, long expectedVersion,
			@Nullable String actor, StateFence fence) {
		return replace(namespace, key, json, expectedVersion, actor, fence, "fenced_replace");
	}

	private StateRecord replace(String namespace, String key, String json, long expectedVersion,
			@Nullable String actor, @Nullable StateFence fence, String operation) {
		return run(operation, (transactions) -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			StateValues.validateValue(json, this.maxValueBytes);
			StateValues.validateVersion(expectedVersion);
			AuditContext context = AuditContext.capture(actor);
			return transactions.write(operation, (connection) -> {
				if (fence != null) {
					this.leaseSql.checkFence(connection, "replace", fence);
				}
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
		delete(namespace, key, expectedVersion, actor, null, "delete");
	}

	@Override
	public void delete(String namespace, String key, long expectedVersion, @Nullable String actor, StateFence fence) {
		delete(namespace, key, expectedVersion, actor, fence, "fenced_delete");
	}

	private void delete(String namespace, String key, long expectedVersion, @Nullable String actor,
			@Nullable StateFence fence, String operation) {
		run(operation, (transactions) -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKey(key);
			StateValues.validateVersion(expectedVersion);
			AuditContext context = AuditContext.capture(actor);
			transactions.write(operation, (connection) -> {
				if (fence != null) {
					this.leaseSql.checkFence(connection, "delete", fence);
				}
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
		return run("list", (transactions) -> {
			StateValues.validateNamespace(namespace);
			StateValues.validateKeyPrefix(keyPrefix);
			if (pageToken != null) {
				StateValues.validateKey(pageToken);
			}
			StateValues.validatePageSize(pageSize);
			return transactions.read("list", (connection) -> {
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
		return run("audit", (transactions) -> {
			StateValues.validateNamespace(namespace);
			if (key != null) {
				StateValues.validateKey(key);
			}
			StateValues.validatePageSize(pageSize);
			long after = StateValues.parseAuditToken(pageToken);
			return transactions.read("audit", (connection) -> {
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

	@Override
	public Optional<StateLease> acquireLease(String name, String holder, Duration duration) {
		return run("lease_acquire", (transactions) -> {
			StateValues.validateKey(name);
			validateHolder(holder);
			long millis = validateLeaseDuration(duration);
			AuditContext context = AuditContext.capture(holder);
			StateLeaseSql sql = this.leaseSql;
			return transactions.write("lease_acquire", (connection) -> {
				Optional<StateLease> current;
				try (PreparedStatement statement = connection.prepareStatement(sql.selectForUpdate)) {
					statement.setString(1, name);
					current = StateLeaseSql.read(statement);
				}
				Optional<StateLease> acquired;
				if (current.isEmpty()) {
					try (PreparedStatement statement = connection.prepareStatement(sql.insert)) {
						statement.setString(1, name);
						statement.setString(2, holder);
						statement.setLong(3, millis);
						acquired = StateLeaseSql.read(statement);
					}
				}
				else if (current.get().isHeld() && !current.get().holder().equals(holder)) {
					acquired = Optional.empty();
				}
				else {
					try (PreparedStatement statement = connection.prepareStatement(sql.takeOver)) {
						statement.setString(1, holder);
						statement.setLong(2, millis);
						statement.setString(3, name);
						statement.setLong(4, current.get().token());
						acquired = StateLeaseSql.read(statement);
					}
				}
				if (acquired.isEmpty()) {
					return new Written<>(acquired, null);
				}
				StateLease lease = acquired.get();
				Long previous = (lease.token() > 1) ? lease.token() - 1 : null;
				StateAuditRecord audit = StateSql.insertAudit(connection, StateAuditRecord.Action.ACQUIRED,
						AUDIT_NAMESPACE, name, previous, lease.token(), context, lease.acquiredAt());
				return new Written<>(acquired, audit);
			});
		});
	}

	@Override
	public Optional<StateLease> renewLease(StateFence fence, Duration duration) {
		return run("lease_renew", (transactions) -> {
			long millis = validateLeaseDuration(duration);
			return transactions.write("lease_renew", (connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(this.leaseSql.renew)) {
					statement.setLong(1, millis);
					statement.setString(2, fence.lease());
					statement.setString(3, fence.holder());
					statement.setLong(4, fence.token());
					return new Written<>(StateLeaseSql.read(statement), null);
				}
			});
		});
	}

	@Override
	public boolean releaseLease(StateFence fence) {
		return run("lease_release", (transactions) -> {
			AuditContext context = AuditContext.capture(fence.holder());
			return transactions.write("lease_release", (connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(this.leaseSql.release)) {
					statement.setString(1, fence.lease());
					statement.setString(2, fence.holder());
					statement.setLong(3, fence.token());
					if (statement.executeUpdate() == 0) {
						return new Written<>(Boolean.FALSE, null);
					}
				}
				StateAuditRecord audit = StateSql.insertAudit(connection, StateAuditRecord.Action.RELEASED,
						AUDIT_NAMESPACE, fence.lease(), fence.token(), fence.token(), context, now());
				return new Written<>(Boolean.TRUE, audit);
			});
		});
	}

	@Override
	public Optional<StateLease> lease(String name) {
		return run("lease_get", (transactions) -> {
			StateValues.validateKey(name);
			return transactions.read("lease_get", (connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(this.leaseSql.select)) {
					statement.setString(1, name);
					return StateLeaseSql.read(statement);
				}
			});
		});
	}

	@Override
	public List<StateLease> leases() {
		return run("lease_list", (transactions) -> transactions.read("lease_list", (connection) -> {
			List<StateLease> leases = new ArrayList<>();
			try (PreparedStatement statement = connection.prepareStatement(this.leaseSql.selectAll);
					ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					leases.add(StateLeaseSql.lease(rs));
				}
			}
			return leases;
		}));
	}

	@Override
	public Instant databaseTime() {
		return run("clock", (transactions) -> transactions.read("clock", (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(this.leaseSql.clock);
					ResultSet rs = statement.executeQuery()) {
				rs.next();
				return Instant.ofEpochMilli(rs.getLong(1));
			}
		}));
	}

	private static void validateHolder(String holder) {
		if (holder == null || holder.isEmpty()) {
			throw new IllegalArgumentException("Invalid lease holder: 1 to 256 characters of Unicode text");
		}
		StateValues.validateActor(holder);
	}

	private static long validateLeaseDuration(Duration duration) {
		if (duration == null || duration.toMillis() < 1) {
			throw new IllegalArgumentException("Invalid lease duration " + duration + ": at least 1ms");
		}
		return duration.toMillis();
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
		Connected connected = this.connected;
		if (connected == null) {
			return new HealthCheck(false, "not yet connected: " + this.notReady.reason());
		}
		return connected.transactions().checkWrite(timeout);
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
		synchronized (this.lifecycle) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		Thread connector = this.connector;
		if (connector != null) {
			connector.interrupt();
			try {
				// An attempt under way ends within the connect time-out; one that succeeds later
				// sees the store closed and closes its own pool
				connector.join(this.properties.getConnectTimeout().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
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
		Connected connected = this.connected;
		if (connected != null) {
			connected.dataSource().close();
		}
	}

	/**
	 * Count the records of each namespace, for the documents gauge.
	 * @return the number of records by namespace
	 */
	public Map<String, Long> countByNamespace() {
		return run("count", (transactions) -> transactions.read("count", (connection) -> {
			Map<String, Long> counts = new LinkedHashMap<>();
			try (PreparedStatement statement = connection.prepareStatement(StateSql.COUNT_BY_NAMESPACE);
					ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					counts.put(rs.getString(1), rs.getLong(2));
				}
			}
			return counts;
		}));
	}

	private <T> T run(String operation, Work<T> work) {
		long start = System.nanoTime();
		String outcome = "error";
		Observation observation = StateStoreObservation.start(operation, this.observations);
		Observation.Scope scope = observation.openScope();
		Throwable failure = null;
		this.inFlight.incrementAndGet();
		try {
			if (this.closed) {
				throw new StateStoreException("The state store is closed");
			}
			Connected connected = this.connected;
			if (connected == null) {
				NotReady notReady = this.notReady;
				throw new StateStoreUnavailableException("The state store is not yet connected: " + notReady.reason(),
						notReady.cause());
			}
			T result = work.run(connected.transactions());
			outcome = (result instanceof Optional<?> optional && optional.isEmpty()) ? "not_found" : "success";
			return result;
		}
		catch (StateConflictException ex) {
			outcome = "conflict";
			throw ex;
		}
		catch (FencedWriteRefusedException ex) {
			outcome = "fenced";
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
			failure = ex;
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			if (this.inFlight.decrementAndGet() == 0 && this.closed) {
				this.drained.countDown();
			}
			scope.close();
			StateStoreObservation.stop(observation, outcome, failure);
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

		T run(StateTransactions transactions);

	}

	private record Connected(HikariDataSource dataSource, StateTransactions transactions) {

	}

	private record NotReady(String reason, Throwable cause) {

	}

	/**
	 * The outcome of a health check.
	 */
	record HealthCheck(boolean up, @Nullable String reason) {

	}

}
