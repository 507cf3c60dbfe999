package dev.clambake.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state store contract on PostgreSQL (Testcontainers, or {@code TEST_POSTGRES_URL}),
 * each test in its own schema.
 */
class PostgresStateStoreTests extends StateStoreContractTests {

	private final List<ClambakeStateProperties> schemas = new ArrayList<>();

	@Override
	protected ClambakeStateProperties newDatabase() throws SQLException {
		ClambakeStateProperties properties = TestDatabases.postgres().newSchema();
		this.schemas.add(properties);
		return properties;
	}

	@Override
	protected Connection connect(ClambakeStateProperties properties) throws SQLException {
		return DriverManager.getConnection(properties.getUrl(), properties.getUsername(), properties.getPassword());
	}

	@AfterEach
	void dropSchemas() throws SQLException {
		closeStores();
		for (ClambakeStateProperties properties : this.schemas) {
			TestDatabases.postgres().dropSchemaOf(properties);
		}
	}

	@Test
	void reportsPostgresql() throws Exception {
		assertThat(open().getDatabase()).isEqualTo("postgresql");
	}

}
