package dev.clambake.lease;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import dev.clambake.state.ClambakeStateProperties;
import dev.clambake.state.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases, fenced writes and single-replica runs on an SQLite file.
 */
class SqliteLeaseTests extends LeaseContractTests {

	@TempDir
	Path directory;

	@Override
	protected ClambakeStateProperties newDatabase() throws Exception {
		return TestDatabases.sqlite(Files.createDirectories(this.directory.resolve("db")));
	}

	@Override
	protected Connection connect(ClambakeStateProperties properties) throws SQLException {
		return DriverManager.getConnection(properties.getUrl());
	}

}
