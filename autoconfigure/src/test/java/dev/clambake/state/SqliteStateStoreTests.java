package dev.clambake.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The state store contract on an SQLite file, and what is particular to SQLite.
 */
class SqliteStateStoreTests extends StateStoreContractTests {

	@TempDir
	Path directory;

	private int databases;

	@Override
	protected ClambakeStateProperties newDatabase() throws Exception {
		Path databaseDirectory = Files.createDirectories(this.directory.resolve("db-" + (++this.databases)));
		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl("jdbc:sqlite:" + databaseDirectory.resolve("state.db"));
		return properties;
	}

	@Override
	protected Connection connect(ClambakeStateProperties properties) throws SQLException {
		return DriverManager.getConnection(properties.getUrl());
	}

	@Test
	void createsTheDirectoriesAndUsesWalWithTheConfiguredSettings() throws Exception {
		Path file = this.directory.resolve("nested/deeper/state.db");
		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl("jdbc:sqlite:" + file);
		properties.getSqlite().setBusyTimeout(Duration.ofMillis(1234));
		properties.getSqlite().setSynchronous(ClambakeStateProperties.Synchronous.NORMAL);
		JdbcStateStore store = open(properties);
		store.create("tasks", "t", "{}");
		assertThat(file).isRegularFile();
		assertThat(store.getDatabase()).isEqualTo("sqlite");
		try (Connection connection = DriverManager.getConnection(properties.getUrl())) {
			assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
		}
		assertThat(Files.exists(Path.of(file + "-wal"))).isTrue();
	}

	@Test
	void aDatabaseLockedByAnotherProcessIsRetriedThenReportedAsBusyWithNothingWritten() throws Exception {
		ClambakeStateProperties properties = newDatabase();
		properties.getSqlite().setBusyTimeout(Duration.ZERO);
		properties.getBusyRetry().setMaxAttempts(3);
		properties.getBusyRetry().setInitialBackoff(Duration.ofMillis(5));
		JdbcStateStore store = open(properties);
		store.create("tasks", "before", "{}");
		try (Connection other = connect(properties); Statement statement = other.createStatement()) {
			statement.execute("BEGIN IMMEDIATE");
			assertThatExceptionOfType(StateStoreBusyException.class)
				.isThrownBy(() -> store.create("tasks", "during", "{}"))
				.satisfies((ex) -> {
					assertThat(ex.getAttempts()).isEqualTo(3);
					assertThat(ex).hasMessageContaining("busy or locked").hasMessageContaining("nothing was written");
				});
			// Readers are not blocked by a writer in WAL mode
			assertThat(store.get("tasks", "before")).isPresent();
			statement.execute("ROLLBACK");
		}
		assertThat(store.get("tasks", "during")).isEmpty();
		assertThat(store.audit("tasks", null, null, 10).items()).hasSize(1);
		store.create("tasks", "after", "{}");
		assertThat(store.get("tasks", "after")).isPresent();
	}

	private static String pragma(Connection connection, String name) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
			rs.next();
			return rs.getString(1);
		}
	}

}
