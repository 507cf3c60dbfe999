import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.clambake.state.ClambakeStateProperties;
import dev.clambake.state.JdbcStateStore;
import dev.clambake.state.StateRecord;

/**
 * State store operations per second against a plain-JDBC loop doing the same SQL work (the
 * document row and its audit row in one transaction; reads by primary key) on the same SQLite
 * file and settings. Rounds alternate between the two; medians are reported.
 * Arguments: rounds, keys per round. Each key is created, read and replaced: 3 operations.
 */
public final class StateStoreBenchmark {

	public static void main(String[] args) throws Exception {
		int rounds = Integer.parseInt(args[0]);
		int keys = Integer.parseInt(args[1]);
		Path directory = Files.createTempDirectory("clambake-state-bench");
		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl("jdbc:sqlite:" + directory.resolve("state.db"));
		List<Double> store = new ArrayList<>();
		List<Double> plain = new ArrayList<>();
		try (JdbcStateStore stateStore = JdbcStateStore.open(properties, List.of());
				HikariDataSource dataSource = plainPool(properties)) {
			// Warm-up of both, not measured
			storeRound(stateStore, "warm-store", keys);
			plainRound(dataSource, "warm-plain", keys);
			for (int round = 0; round < rounds; round++) {
				store.add(storeRound(stateStore, "store-" + round, keys));
				plain.add(plainRound(dataSource, "plain-" + round, keys));
			}
		}
		double storeMedian = median(store);
		double plainMedian = median(plain);
		System.out.printf("store ops/s per round: %s%n", format(store));
		System.out.printf("plain ops/s per round: %s%n", format(plain));
		System.out.printf("RESULT store_median=%.0f plain_median=%.0f ratio=%.2f%n", storeMedian, plainMedian,
				storeMedian / plainMedian);
	}

	private static HikariDataSource plainPool(ClambakeStateProperties properties) {
		// The same pragmas the store sets on its own connections
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(properties.getUrl());
		dataSource.setMaximumPoolSize(2);
		dataSource.addDataSourceProperty("journal_mode", properties.getSqlite().getJournalMode().name());
		dataSource.addDataSourceProperty("synchronous", properties.getSqlite().getSynchronous().name());
		dataSource.addDataSourceProperty("busy_timeout",
				Long.toString(properties.getSqlite().getBusyTimeout().toMillis()));
		return dataSource;
	}

	private static double storeRound(JdbcStateStore store, String namespace, int keys) {
		long start = System.nanoTime();
		for (int i = 0; i < keys; i++) {
			String key = "k-" + i;
			store.create(namespace, key, "{\"n\":" + i + "}", "bench");
			StateRecord record = store.get(namespace, key).orElseThrow();
			store.replace(namespace, key, "{\"n\":" + (i + 1) + "}", record.version(), "bench");
		}
		return opsPerSecond(keys * 3, System.nanoTime() - start);
	}

	private static double plainRound(HikariDataSource dataSource, String namespace, int keys) throws SQLException {
		long start = System.nanoTime();
		for (int i = 0; i < keys; i++) {
			String key = "k-" + i;
			try (Connection connection = dataSource.getConnection()) {
				long now = System.currentTimeMillis();
				transaction(connection, () -> {
					try (PreparedStatement insert = connection.prepareStatement(
							"INSERT INTO clambake_state (namespace, state_key, value, version, created_at, updated_at) "
									+ "VALUES (?, ?, ?, 1, ?, ?)")) {
						insert.setString(1, namespace);
						insert.setString(2, key);
						insert.setString(3, "{\"n\":" + key.length() + "}");
						insert.setLong(4, now);
						insert.setLong(5, now);
						insert.executeUpdate();
					}
					audit(connection, namespace, key, "CREATED", null, 1L, now);
				});
			}
			long version;
			try (Connection connection = dataSource.getConnection();
					PreparedStatement select = connection.prepareStatement(
							"SELECT value, version, created_at, updated_at FROM clambake_state WHERE namespace = ? AND state_key = ?")) {
				select.setString(1, namespace);
				select.setString(2, key);
				try (ResultSet rs = select.executeQuery()) {
					rs.next();
					rs.getString(1);
					version = rs.getLong(2);
				}
			}
			try (Connection connection = dataSource.getConnection()) {
				long now = System.currentTimeMillis();
				long expected = version;
				transaction(connection, () -> {
					try (PreparedStatement update = connection.prepareStatement(
							"UPDATE clambake_state SET value = ?, version = ?, updated_at = ? WHERE namespace = ? AND state_key = ? AND version = ?")) {
						update.setString(1, "{\"n\":" + (expected + 1) + "}");
						update.setLong(2, expected + 1);
						update.setLong(3, now);
						update.setString(4, namespace);
						update.setString(5, key);
						update.setLong(6, expected);
						update.executeUpdate();
					}
					audit(connection, namespace, key, "UPDATED", expected, expected + 1, now);
				});
			}
		}
		return opsPerSecond(keys * 3, System.nanoTime() - start);
	}

	private static void audit(Connection connection, String namespace, String key, String action, Long oldVersion,
			Long newVersion, long now) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO clambake_state_audit "
				+ "(namespace, state_key, action, old_version, new_version, actor, correlation_id, trace_id, occurred_at) "
				+ "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)")) {
			insert.setString(1, namespace);
			insert.setString(2, key);
			insert.setString(3, action);
			insert.setObject(4, oldVersion);
			insert.setObject(5, newVersion);
			insert.setString(6, "bench");
			insert.setLong(7, now);
			insert.executeUpdate();
		}
	}

	private static void transaction(Connection connection, SqlWork work) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("BEGIN IMMEDIATE");
			try {
				work.run();
				statement.execute("COMMIT");
			}
			catch (SQLException ex) {
				statement.execute("ROLLBACK");
				throw ex;
			}
		}
	}

	private static double opsPerSecond(int operations, long nanos) {
		return operations / (nanos / 1e9);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static String format(List<Double> values) {
		return values.stream().map((value) -> String.format("%.0f", value)).toList().toString();
	}

	@FunctionalInterface
	interface SqlWork {

		void run() throws SQLException;

	}

}
