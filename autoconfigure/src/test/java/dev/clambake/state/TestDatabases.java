package dev.clambake.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The databases the state store's tests run against: an SQLite file, and PostgreSQL from
 * Testcontainers when Docker is available, otherwise the server named by
 * {@code TEST_POSTGRES_URL}; each test gets its own PostgreSQL schema.
 */
public final class TestDatabases {

	static final String POSTGRES_URL_VARIABLE = "TEST_POSTGRES_URL";

	private static final Object lock = new Object();

	private static volatile Postgres postgres;

	private TestDatabases() {
	}

	public static ClambakeStateProperties sqlite(Path directory) {
		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl("jdbc:sqlite:" + directory.resolve("state.db"));
		return properties;
	}

	/**
	 * Return the PostgreSQL server, or skip the calling test with the reason when there is none.
	 */
	public static Postgres postgres() {
		Postgres current = postgres;
		if (current == null) {
			synchronized (lock) {
				current = postgres;
				if (current == null) {
					current = startPostgres();
					postgres = current;
				}
			}
		}
		Assumptions.assumeTrue(current.url() != null, current.reason());
		return current;
	}

	private static Postgres startPostgres() {
		String url = System.getenv(POSTGRES_URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			String user = System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres");
			String password = System.getenv().getOrDefault("TEST_POSTGRES_PASSWORD", "");
			return new Postgres(url, user, password, null);
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
			return new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword(), null);
		}
		return new Postgres(null, null, null, "PostgreSQL tests skipped: no Docker engine for Testcontainers and "
				+ POSTGRES_URL_VARIABLE + " is not set");
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	/**
	 * A PostgreSQL server reachable from the tests.
	 */
	public record Postgres(String url, String user, String password, String reason) {

		/**
		 * Create a new empty schema and return store properties whose connections use it.
		 */
		public ClambakeStateProperties newSchema() throws SQLException {
			String schema = "clambake_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
			try (Connection connection = connect(null); Statement statement = connection.createStatement()) {
				statement.execute("CREATE SCHEMA " + schema);
			}
			ClambakeStateProperties properties = new ClambakeStateProperties();
			properties.setUrl(withSchema(schema));
			properties.setUsername(this.user);
			properties.setPassword(this.password);
			return properties;
		}

		String withSchema(String schema) {
			return this.url + (this.url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
		}

		public Connection connect(String schema) throws SQLException {
			return DriverManager.getConnection((schema != null) ? withSchema(schema) : this.url, this.user,
					this.password);
		}

		public void dropSchemaOf(ClambakeStateProperties properties) throws SQLException {
			String url = properties.getUrl();
			String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
			try (Connection connection = connect(null); Statement statement = connection.createStatement()) {
				statement.execute("DROP SCHEMA IF EXISTS " + schema.toLowerCase(Locale.ROOT) + " CASCADE");
			}
		}

	}

}
