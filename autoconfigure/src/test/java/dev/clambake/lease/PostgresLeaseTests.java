package dev.clambake.lease;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import dev.clambake.state.ClambakeStateProperties;
import dev.clambake.state.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/**
 * Leases, fenced writes and single-replica runs on PostgreSQL (Testcontainers, or
 * {@code TEST_POSTGRES_URL}), each test in its own schema.
 */
class PostgresLeaseTests extends LeaseContractTests {

	@Override
	protected ClambakeStateProperties newDatabase() throws Exception {
		return TestDatabases.postgres().newSchema();
	}

	@Override
	protected Connection connect(ClambakeStateProperties properties) throws SQLException {
		return DriverManager.getConnection(properties.getUrl(), properties.getUsername(), properties.getPassword());
	}

	@AfterEach
	void dropSchema() throws Exception {
		if (this.properties != null) {
			TestDatabases.postgres().dropSchemaOf(this.properties);
		}
	}

}
