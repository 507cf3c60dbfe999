package dev.clambake.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What every {@link StateStore} database must do; run against SQLite and PostgreSQL.
 */
abstract class StateStoreContractTests {

	private final List<JdbcStateStore> opened = new ArrayList<>();

	/**
	 * Return properties pointing at a new, empty database.
	 */
	protected abstract ClambakeStateProperties newDatabase() throws Exception;

	/**
	 * Open a plain JDBC connection to the database of the given properties.
	 */
	protected abstract Connection connect(ClambakeStateProperties properties) throws SQLException;

	@AfterEach
	void closeStores() {
		this.opened.forEach(JdbcStateStore::close);
	}

	protected JdbcStateStore open(ClambakeStateProperties properties, StateStoreListener... listeners) {
		JdbcStateStore store = JdbcStateStore.open(properties, List.of(listeners));
		this.opened.add(store);
		return store;
	}

	protected JdbcStateStore open() throws Exception {
		return open(newDatabase());
	}

	@Test
	void createThenGetReturnsTheSameJsonAtVersionOne() throws Exception {
		JdbcStateStore store = open();
		Instant before = Instant.now().minusMillis(1);
		String json = "{ \"title\" : \"write tests\", \"tags\": [1, 2.5, null, \"\\u00e9\"] }";
		StateRecord created = store.create("tasks", "t-1", json);
		assertThat(created.version()).isEqualTo(1);
		assertThat(created.createdAt()).isAfterOrEqualTo(before).isEqualTo(created.updatedAt());
		StateRecord read = store.get("tasks", "t-1").orElseThrow();
		assertThat(read).isEqualTo(created);
		assertThat(read.value()).isEqualTo(json);
		assertThat(store.get("tasks", "missing")).isEmpty();
		assertThat(store.get("other", "t-1")).isEmpty();
	}

	@Test
	void createOfAnExistingKeyConflictsWithItsCurrentVersionAndChangesNothing() throws Exception {
		JdbcStateStore store = open();
		store.create("tasks", "t-1", "{\"n\":1}");
		store.replace("tasks", "t-1", "{\"n\":2}", 1);
		assertThatExceptionOfType(StateConflictException.class)
			.isThrownBy(() -> store.create("tasks", "t-1", "{\"n\":3}"))
			.satisfies((ex) -> assertThat(ex.getCurrentVersion()).isEqualTo(2));
		assertThat(store.get("tasks", "t-1").orElseThrow().value()).isEqualTo("{\"n\":2}");
	}

	@Test
	void replaceWithTheExpectedVersionIncrementsItAndKeepsCreatedAt() throws Exception {
		JdbcStateStore store = open();
		StateRecord created = store.create("tasks", "t-1", "{\"n\":1}");
		StateRecord replaced = store.replace("tasks", "t-1", "[\"n\", 2]", 1);
		assertThat(replaced.version()).isEqualTo(2);
		assertThat(replaced.createdAt()).isEqualTo(created.createdAt());
		assertThat(replaced.updatedAt()).isAfterOrEqualTo(created.updatedAt());
		assertThat(store.get("tasks", "t-1")).contains(replaced);
	}

	@Test
	void replaceWithAStaleVersionConflictsWithTheCurrentVersion() throws Exception {
		JdbcStateStore store = open();
		store.create("tasks", "t-1", "{}");
		store.replace("tasks", "t-1", "{\"a\":1}", 1);
		assertThatExceptionOfType(StateConflictException.class)
			.isThrownBy(() -> store.replace("tasks", "t-1", "{\"b\":1}", 1))
			.satisfies((ex) -> {
				assertThat(ex.getCurrentVersion()).isEqualTo(2);
				assertThat(ex.isMissing()).isFalse();
				assertThat(ex).hasMessageContaining("tasks/t-1").hasMessageContaining("2");
			});
		assertThat(store.get("tasks", "t-1").orElseThrow().value()).isEqualTo("{\"a\":1}");
	}

	@Test
	void replaceOrDeleteOfAMissingKeyConflictsWithVersionZero() throws Exception {
		JdbcStateStore store = open();
		assertThatExceptionOfType(StateConflictException.class)
			.isThrownBy(() -> store.replace("tasks", "nope", "{}", 1))
			.satisfies((ex) -> assertThat(ex.isMissing()).isTrue());
		assertThatExceptionOfType(StateConflictException.class).isThrownBy(() -> store.delete("tasks", "nope", 1))
			.satisfies((ex) -> assertThat(ex.getCurrentVersion()).isZero());
	}

	@Test
	void deleteNeedsTheCurrentVersion() throws Exception {
		JdbcStateStore store = open();
		store.create("tasks", "t-1", "{}");
		store.replace("tasks", "t-1", "{}", 1);
		assertThatExceptionOfType(StateConflictException.class).isThrownBy(() -> store.delete("tasks", "t-1", 1))
			.satisfies((ex) -> assertThat(ex.getCurrentVersion()).isEqualTo(2));
		assertThat(store.get("tasks", "t-1")).isPresent();
		store.delete("tasks", "t-1", 2);
		assertThat(store.get("tasks", "t-1")).isEmpty();
		assertThat(store.create("tasks", "t-1", "{}").version()).isEqualTo(1);
	}

	@Test
	void listPagesThroughAPrefixInKeyOrder() throws Exception {
		JdbcStateStore store = open();
		for (String key : List.of("a/3", "a/1", "a/5", "a/2", "a/4", "a_x", "ab", "b/1")) {
			store.create("tasks", key, "{\"k\":\"" + key + "\"}");
		}
		store.create("other", "a/0", "{}");
		List<String> keys = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		String token = null;
		do {
			StatePage<StateRecord> page = store.list("tasks", "a/", token, 2);
			page.items().forEach((record) -> keys.add(record.key()));
			sizes.add(page.items().size());
			token = page.nextPageToken();
		}
		while (token != null);
		assertThat(keys).containsExactly("a/1", "a/2", "a/3", "a/4", "a/5");
		assertThat(sizes).containsExactly(2, 2, 1);
		assertThat(store.list("tasks", "a_", null, 10).items()).extracting(StateRecord::key).containsExactly("a_x");
		StatePage<StateRecord> all = store.list("tasks", "", null, 100);
		assertThat(all.items()).extracting(StateRecord::key)
			.containsExactly("a/1", "a/2", "a/3", "a/4", "a/5", "a_x", "ab", "b/1");
		assertThat(all.hasNext()).isFalse();
		assertThat(all.items().get(0).value()).isEqualTo("{\"k\":\"a/1\"}");
		assertThat(store.list("tasks", "zzz", null, 10).items()).isEmpty();
	}

	@Test
	void invalidInputIsRejectedBeforeAnythingIsWritten() throws Exception {
		ClambakeStateProperties properties = newDatabase();
		properties.setMaxValueSize(DataSize.ofBytes(64));
		JdbcStateStore store = open(properties);
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("Tasks", "k", "{}"))
			.withMessageContaining("namespace");
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("", "k", "{}"));
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "", "{}"))
			.withMessageContaining("key");
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "a b", "{}"));
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k\n", "{}"));
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "x".repeat(257), "{}"));
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", "{not json"))
			.withMessageContaining("JSON");
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", ""));
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", "{} {}"))
			.withMessageContaining("more than one");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.create("tasks", "k", "{\"v\":\"" + "x".repeat(60) + "\"}"))
			.withMessageContaining("clambake.state.max-value-size");
		assertThatIllegalArgumentException().isThrownBy(() -> store.replace("tasks", "k", "{}", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> store.list("tasks", "%", null, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> store.list("tasks", "", null, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> store.list("tasks", "", null, 1001));
		assertThatIllegalArgumentException().isThrownBy(() -> store.audit("tasks", null, "x", 10));
		assertThat(store.create("tasks", "k", "{\"v\":\"" + "x".repeat(50) + "\"}").version()).isEqualTo(1);
		assertThat(store.list("tasks", "", null, 10).items()).hasSize(1);
		assertThat(store.audit("tasks", null, null, 10).items()).hasSize(1);
	}

	@Test
	void stringsTheDatabaseCannotKeepExactlyAreRefusedAndPairsAreKept() throws Exception {
		JdbcStateStore store = open();
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", "{\"title\":\"a\ud800b\"}"))
			.withMessageContaining("'/title'")
			.withMessageContaining("unpaired UTF-16 surrogate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.create("tasks", "k", "{\"a\":[1,{\"b\":\"\\ud800\"}]}"))
			.withMessageContaining("'/a/1/b'");
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", "{\"x\\udc00\":1}"))
			.withMessageContaining("name");
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", "\"\udc00\ud800\""));
		assertThatIllegalArgumentException().isThrownBy(() -> store.create("tasks", "k", "{}", "agent\ud800"))
			.withMessageContaining("actor");
		store.create("tasks", "k", "{}");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.replace("tasks", "k", "{\"t\":\"\ud83d\"}", 1))
			.withMessageContaining("'/t'");
		assertThat(store.audit("tasks", null, null, 10).items()).hasSize(1);
		String pairs = "{\"t\":\"smile \ud83d\ude00\",\"e\":\"\\ud83d\\ude00\"}";
		store.replace("tasks", "k", pairs, 1, "agent-\ud83d\ude00");
		assertThat(store.get("tasks", "k")).hasValueSatisfying((record) -> assertThat(record.value()).isEqualTo(pairs));
		assertThat(store.audit("tasks", "k", null, 10).items()).extracting(StateAuditRecord::actor)
			.contains("agent-\ud83d\ude00");
	}

	@Test
	void everyMutationIsAuditedWithActorCorrelationAndTraceIds() throws Exception {
		List<StateAuditRecord> published = new CopyOnWriteArrayList<>();
		JdbcStateStore store = open(newDatabase(), new StateStoreListener() {
			@Override
			public void onAudit(StateAuditRecord record) {
				published.add(record);
			}
		});
		MDC.put("correlationId", "corr-1");
		MDC.put("traceId", "0af7651916cd43dd8448eb211c80319c");
		try {
			store.create("tasks", "t-1", "{}", "agent-7");
			store.replace("tasks", "t-1", "{\"a\":1}", 1, "agent-8");
		}
		finally {
			MDC.clear();
		}
		store.delete("tasks", "t-1", 2);
		assertThatExceptionOfType(StateConflictException.class).isThrownBy(() -> store.delete("tasks", "t-1", 2));
		store.create("tasks", "t-2", "{}");
		List<StateAuditRecord> trail = store.audit("tasks", "t-1", null, 100).items();
		assertThat(trail).extracting(StateAuditRecord::action)
			.containsExactly(StateAuditRecord.Action.CREATED, StateAuditRecord.Action.UPDATED,
					StateAuditRecord.Action.DELETED);
		StateAuditRecord created = trail.get(0);
		assertThat(created.oldVersion()).isNull();
		assertThat(created.newVersion()).isEqualTo(1L);
		assertThat(created.actor()).isEqualTo("agent-7");
		assertThat(created.correlationId()).isEqualTo("corr-1");
		assertThat(created.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
		assertThat(created.namespace()).isEqualTo("tasks");
		assertThat(created.key()).isEqualTo("t-1");
		assertThat(trail.get(1).oldVersion()).isEqualTo(1L);
		assertThat(trail.get(1).newVersion()).isEqualTo(2L);
		assertThat(trail.get(1).actor()).isEqualTo("agent-8");
		StateAuditRecord deleted = trail.get(2);
		assertThat(deleted.oldVersion()).isEqualTo(2L);
		assertThat(deleted.newVersion()).isNull();
		assertThat(deleted.actor()).isNull();
		assertThat(deleted.correlationId()).isNull();
		assertThat(deleted.timestamp()).isAfterOrEqualTo(created.timestamp());
		assertThat(published).hasSize(4);
		assertThat(published.subList(0, 3)).isEqualTo(trail);
		StatePage<StateAuditRecord> first = store.audit("tasks", null, null, 3);
		assertThat(first.items()).isEqualTo(trail);
		StatePage<StateAuditRecord> second = store.audit("tasks", null, first.nextPageToken(), 3);
		assertThat(second.items()).extracting(StateAuditRecord::key).containsExactly("t-2");
		assertThat(second.hasNext()).isFalse();
	}

	@Test
	void operationsAreReportedWithTheirOutcome() throws Exception {
		List<String> operations = new CopyOnWriteArrayList<>();
		JdbcStateStore store = open(newDatabase(), new StateStoreListener() {
			@Override
			public void onOperation(String operation, String outcome, long nanos) {
				assertThat(nanos).isPositive();
				operations.add(operation + ":" + outcome);
			}
		});
		store.create("tasks", "t", "{}");
		store.get("tasks", "t");
		store.get("tasks", "missing");
		try {
			store.create("tasks", "t", "{}");
		}
		catch (StateConflictException ex) {
			// expected
		}
		try {
			store.create("tasks", "t", "nope");
		}
		catch (IllegalArgumentException ex) {
			// expected
		}
		store.list("tasks", "", null, 10);
		assertThat(operations).containsExactly("create:success", "get:success", "get:not_found", "create:conflict",
				"create:invalid", "list:success");
	}

	@Test
	void compareAndSetIncrementsFromEightThreadsEndAtExactlyFourThousand() throws Exception {
		JdbcStateStore store = open();
		store.create("counters", "c", "{\"n\":0}");
		int threads = 8;
		int increments = 500;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					int conflicts = 0;
					for (int i = 0; i < increments; i++) {
						while (true) {
							StateRecord current = store.get("counters", "c").orElseThrow();
							long n = Long.parseLong(current.value().replaceAll("\\D", ""));
							try {
								store.replace("counters", "c", "{\"n\":" + (n + 1) + "}", current.version());
								break;
							}
							catch (StateConflictException ex) {
								conflicts++;
							}
						}
					}
					return conflicts;
				}));
			}
			for (Future<Integer> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		StateRecord counter = store.get("counters", "c").orElseThrow();
		assertThat(counter.value()).isEqualTo("{\"n\":4000}");
		assertThat(counter.version()).isEqualTo(4001);
		assertThat(countAuditRows(store, "c")).isEqualTo(4001);
	}

	@Test
	void ofTwoConcurrentClaimsExactlyOneWins() throws Exception {
		JdbcStateStore store = open();
		for (int round = 0; round < 20; round++) {
			String key = "task-" + round;
			store.create("tasks", key, "{\"claimedBy\":null}");
			CyclicBarrier bothRead = new CyclicBarrier(2);
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				List<Future<Boolean>> claims = new ArrayList<>();
				for (String agent : List.of("agent-a", "agent-b")) {
					claims.add(executor.submit(() -> {
						StateRecord task = store.get("tasks", key).orElseThrow();
						bothRead.await(10, TimeUnit.SECONDS);
						try {
							store.replace("tasks", key, "{\"claimedBy\":\"" + agent + "\"}", task.version(), agent);
							return true;
						}
						catch (StateConflictException ex) {
							return false;
						}
					}));
				}
				int winners = 0;
				for (Future<Boolean> claim : claims) {
					winners += claim.get(30, TimeUnit.SECONDS) ? 1 : 0;
				}
				assertThat(winners).as("round " + round).isEqualTo(1);
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(store.get("tasks", key).orElseThrow().version()).isEqualTo(2);
		}
	}

	@Test
	void aDatabaseAtTheFirstSchemaVersionUpgradesWithItsDataIntact() throws Exception {
		ClambakeStateProperties properties = newDatabase();
		try (Connection connection = connect(properties)) {
			String location = StateDatabase.of(properties.getUrl()).migrationLocation();
			Flyway.configure()
				.dataSource(new SingleConnectionDataSource(connection, true))
				.locations(location)
				.table(JdbcStateStore.SCHEMA_HISTORY_TABLE)
				.target("1")
				.load()
				.migrate();
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("INSERT INTO clambake_state VALUES ('tasks', 'old', '{\"v\":1}', 3, 1000, 2000)");
				statement.executeUpdate("INSERT INTO clambake_state_audit (namespace, state_key, action, old_version, "
						+ "new_version, actor, correlation_id, trace_id, occurred_at) "
						+ "VALUES ('tasks', 'old', 'CREATED', NULL, 1, 'v1-agent', 'c-1', NULL, 1000)");
			}
			assertThat(schemaVersions(connection)).containsExactly("1");
		}
		JdbcStateStore store = open(properties);
		StateRecord old = store.get("tasks", "old").orElseThrow();
		assertThat(old.value()).isEqualTo("{\"v\":1}");
		assertThat(old.version()).isEqualTo(3);
		assertThat(old.createdAt()).isEqualTo(Instant.ofEpochMilli(1000));
		assertThat(old.updatedAt()).isEqualTo(Instant.ofEpochMilli(2000));
		assertThat(store.replace("tasks", "old", "{\"v\":2}", 3).version()).isEqualTo(4);
		assertThat(store.audit("tasks", "old", null, 10).items()).extracting(StateAuditRecord::actor)
			.containsExactly("v1-agent", null);
		try (Connection connection = connect(properties)) {
			assertThat(schemaVersions(connection)).containsExactly("1", "2", "3", "4");
		}
	}

	@Test
	void aClosedStoreRefusesOperations() throws Exception {
		JdbcStateStore store = open();
		store.create("tasks", "t", "{}");
		assertThat(store.isHealthy(2)).isTrue();
		store.close();
		assertThat(store.isHealthy(2)).isFalse();
		assertThatExceptionOfType(StateStoreException.class).isThrownBy(() -> store.get("tasks", "t"))
			.withMessageContaining("closed");
	}

	protected long countAuditRows(JdbcStateStore store, String key) {
		long count = 0;
		String token = null;
		do {
			StatePage<StateAuditRecord> page = store.audit("counters", key, token, 1000);
			count += page.items().size();
			token = page.nextPageToken();
		}
		while (token != null);
		return count;
	}

	private static List<String> schemaVersions(Connection connection) throws SQLException {
		List<String> versions = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT version FROM "
				+ JdbcStateStore.SCHEMA_HISTORY_TABLE + " WHERE success = ? AND version <> '0' ORDER BY installed_rank")) {
			statement.setBoolean(1, true);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					versions.add(rs.getString(1));
				}
			}
		}
		return versions;
	}

}
