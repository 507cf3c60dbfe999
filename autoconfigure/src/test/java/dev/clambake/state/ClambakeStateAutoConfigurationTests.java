package dev.clambake.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.clambake.config.ClambakeCapability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clambake.health.ClambakeReadinessMember;
import dev.clambake.shutdown.ShutdownHook;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClambakeStateAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeStateAutoConfiguration.class));

	private ApplicationContextRunner enabled() {
		return this.runner.withPropertyValues("clambake.state.enabled=true",
				"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("data/state.db"));
	}

	@Test
	void offByDefault() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(StateStore.class)
			.doesNotHaveBean(ClambakeStateProperties.class)
			.doesNotHaveBean(ClambakeCapability.class)
			.doesNotHaveBean(HealthIndicator.class));
	}

	@Test
	void enabledFalseAddsNoBeans() {
		enabled().withPropertyValues("clambake.state.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StateStore.class)
				.doesNotHaveBean(ClambakeCapability.class));
	}

	@Test
	void enabledRegistersTheStoreTheCapabilityTheHealthIndicatorAndTheAuditPublisher() {
		enabled().run((context) -> {
			assertThat(context).hasSingleBean(JdbcStateStore.class)
				.hasSingleBean(StateAuditEventPublisher.class)
				.doesNotHaveBean(StateStoreMetrics.class)
				.doesNotHaveBean(DataSource.class)
				.doesNotHaveBean(Flyway.class);
			assertThat(context.getBean("stateStore")).isInstanceOf(JdbcStateStore.class);
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.containsExactly(new ClambakeCapability("state"));
			ClambakeStateProperties properties = context.getBean(ClambakeStateProperties.class);
			assertThat(properties.getMaxValueSize().toKilobytes()).isEqualTo(256);
			assertThat(properties.getSqlite().getJournalMode()).isEqualTo(ClambakeStateProperties.JournalMode.WAL);
			assertThat(properties.getSqlite().getSynchronous()).isEqualTo(ClambakeStateProperties.Synchronous.FULL);
			StateStore store = context.getBean(StateStore.class);
			store.create("tasks", "t", "{}");
			assertThat(store.get("tasks", "t")).isPresent();
			Health health = context.getBean("stateStoreHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("database", "sqlite");
		});
		assertThat(this.directory.resolve("data/state.db")).isRegularFile();
	}

	@Test
	void shutdownHookClosesTheStoreAfterTrackedWorkAndJoinsReadiness() {
		enabled().run((context) -> {
			ShutdownHook hook = context.getBean("stateStoreShutdownHook", ShutdownHook.class);
			assertThat(hook.getOrder()).isEqualTo(ShutdownHook.ORDER_STATE_STORE)
				.isGreaterThan(ShutdownHook.ORDER_TRACKED_WORK);
			assertThat(context.getBean(ClambakeReadinessMember.class).contributorName()).isEqualTo("stateStore");
			StateStore store = context.getBean(StateStore.class);
			hook.run();
			assertThatExceptionOfType(StateStoreException.class).isThrownBy(() -> store.get("tasks", "t-1"))
				.withMessageContaining("closed");
		});
	}

	@Test
	void defaultUrlIsAnSqliteFileUnderData() {
		assertThat(new ClambakeStateProperties().getUrl()).isEqualTo("jdbc:sqlite:./data/clambake-state.db");
	}

	@Test
	void closingTheContextClosesThePool() {
		List<JdbcStateStore> stores = new ArrayList<>();
		enabled().run((context) -> stores.add(context.getBean(JdbcStateStore.class)));
		assertThat(stores.get(0).isHealthy(1)).isFalse();
	}

	@Test
	void mutationsArePublishedAsAuditApplicationEvents() {
		enabled().withUserConfiguration(AuditEvents.class).run((context) -> {
			StateStore store = context.getBean(StateStore.class);
			store.create("tasks", "t", "{}", "agent-1");
			store.replace("tasks", "t", "{}", 1);
			List<AuditApplicationEvent> events = context.getBean(AuditEvents.class).events;
			assertThat(events).extracting((event) -> event.getAuditEvent().getType())
				.containsExactly("STATE_CREATED", "STATE_UPDATED");
			assertThat(events.get(0).getAuditEvent().getPrincipal()).isEqualTo("agent-1");
			assertThat(events.get(1).getAuditEvent().getPrincipal()).isEqualTo("anonymous");
			assertThat(events.get(1).getAuditEvent().getData()).containsEntry("namespace", "tasks")
				.containsEntry("key", "t")
				.containsEntry("oldVersion", 1L)
				.containsEntry("newVersion", 2L);
		});
	}

	@Test
	void withAMeterRegistryOperationsAreCountedAndTimed() {
		enabled().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(StateStoreMetrics.class);
			StateStore store = context.getBean(StateStore.class);
			store.create("tasks", "t", "{}");
			store.get("tasks", "missing");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("clambake.state.operations")
				.tags("operation", "create", "outcome", "success")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("clambake.state.operations")
				.tags("operation", "get", "outcome", "not_found")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("clambake.state.operation.duration")
				.tags("operation", "create", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void withoutHikariOrFlywayOrJacksonThereIsNoStore() {
		for (Class<?> missing : List.of(HikariDataSource.class, Flyway.class, tools.jackson.core.json.JsonFactory.class)) {
			enabled().withClassLoader(new FilteredClassLoader(missing))
				.run((context) -> assertThat(context).as(missing.getName())
					.doesNotHaveBean(StateStore.class)
					.doesNotHaveBean(ClambakeCapability.class));
		}
	}

	@Test
	void withoutMicrometerActuatorOrHealthTheStoreStillWorks() {
		enabled().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class, AuditApplicationEvent.class,
					HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(JdbcStateStore.class)
				.doesNotHaveBean(StateStoreMetrics.class)
				.doesNotHaveBean(StateAuditEventPublisher.class)
				.doesNotHaveBean(StateStoreHealthIndicator.class));
	}

	@Test
	void aUserStoreWins() {
		enabled().withUserConfiguration(UserStore.class).run((context) -> {
			assertThat(context).hasSingleBean(StateStore.class).doesNotHaveBean(JdbcStateStore.class);
			assertThat(context.getBean(StateStore.class)).isSameAs(UserStore.STORE);
		});
	}

	@Test
	void invalidPropertiesFailStartUp() {
		enabled().withPropertyValues("clambake.state.url=jdbc:mysql://localhost/db")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("jdbc:sqlite: or jdbc:postgresql:"));
		enabled().withPropertyValues("clambake.state.max-value-size=0")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("positive"));
		enabled().withPropertyValues("clambake.state.sqlite.synchronous=sometimes")
			.run((context) -> assertThat(context).hasFailed());
		enabled().withPropertyValues("clambake.state.on-start-up-unavailable=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("clambake.state.on-start-up-unavailable")
				.rootCause()
				.hasMessageContaining("sometimes"));
		enabled().withPropertyValues("clambake.state.connect-timeout=10ms")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("at least 1s"));
		enabled().withPropertyValues("clambake.state.statement-timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("at least 100ms"));
	}

	@Test
	void unavailableHandlersJoinOnlyWebApplicationsOfTheirKind() {
		enabled().run((context) -> assertThat(context).doesNotHaveBean(StateStoreUnavailableExceptionHandler.class)
			.doesNotHaveBean(ReactiveStateStoreUnavailableExceptionHandler.class));
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ClambakeStateAutoConfiguration.class))
			.withPropertyValues("clambake.state.enabled=true",
					"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("data/state.db"))
			.run((context) -> assertThat(context).hasSingleBean(StateStoreUnavailableExceptionHandler.class)
				.doesNotHaveBean(ReactiveStateStoreUnavailableExceptionHandler.class));
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ClambakeStateAutoConfiguration.class))
			.withPropertyValues("clambake.state.enabled=true",
					"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("data/state.db"))
			.run((context) -> assertThat(context).hasSingleBean(ReactiveStateStoreUnavailableExceptionHandler.class)
				.doesNotHaveBean(StateStoreUnavailableExceptionHandler.class));
	}

	@Test
	void aUserUnavailableHandlerWinsAndWithoutSpringMvcThereIsNone() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ClambakeStateAutoConfiguration.class))
			.withPropertyValues("clambake.state.enabled=true",
					"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("data/state.db"));
		web.withBean("mine", StateStoreUnavailableExceptionHandler.class,
				() -> new StateStoreUnavailableExceptionHandler(Duration.ofSeconds(99)))
			.run((context) -> assertThat(context).getBeans(StateStoreUnavailableExceptionHandler.class)
				.containsOnlyKeys("mine"));
		web.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(StateStoreUnavailableExceptionHandler.class));
	}

	@Test
	void aMissingDriverIsNamedInTheFailure() {
		enabled().withClassLoader(new FilteredClassLoader("org.postgresql"))
			.withPropertyValues("clambake.state.url=jdbc:postgresql://127.0.0.1:1/none")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("org.postgresql:postgresql"));
	}

	@Test
	void theApplicationKeepsItsOwnDataSourceAndFlywayAndItsSchemaIsUntouched() throws SQLException {
		Path appDatabase = this.directory.resolve("app.db");
		enabled()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + appDatabase,
					"spring.flyway.locations=classpath:db/app-migration")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(DataSource.class).hasSingleBean(Flyway.class);
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(((HikariDataSource) dataSource).getJdbcUrl()).isEqualTo("jdbc:sqlite:" + appDatabase);
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				assertThat(jdbc.queryForObject("SELECT item FROM orders WHERE id = 1", String.class)).isEqualTo("clams");
				StateStore store = context.getBean(StateStore.class);
				store.create("tasks", "t", "{}");
				assertThat(store.get("tasks", "t")).isPresent();
			});
		assertThat(tables("jdbc:sqlite:" + appDatabase)).containsExactlyInAnyOrder("orders", "flyway_schema_history");
		assertThat(tables("jdbc:sqlite:" + this.directory.resolve("data/state.db"))).containsExactlyInAnyOrder(
				"clambake_state", "clambake_state_audit", "clambake_state_heartbeat", "clambake_state_lease",
				JdbcStateStore.SCHEMA_HISTORY_TABLE, "sqlite_sequence");
	}

	@Test
	void sharingTheApplicationsDatabaseLeavesItsTablesAndRowsAsTheyWere() throws SQLException {
		Path shared = this.directory.resolve("shared.db");
		String url = "jdbc:sqlite:" + shared;
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
			statement.execute("INSERT INTO orders VALUES (1, 'clams'), (2, 'chowder')");
		}
		this.runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("clambake.state.enabled=true", "clambake.state.url=" + url,
					"spring.datasource.url=" + url)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
				context.getBean(StateStore.class).create("tasks", "t", "{}");
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForList("SELECT item FROM orders ORDER BY id", String.class))
					.containsExactly("clams", "chowder");
			});
		assertThat(tables(url)).contains("orders", "clambake_state", JdbcStateStore.SCHEMA_HISTORY_TABLE)
			.doesNotContain("flyway_schema_history");
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'orders'")) {
			rs.next();
			assertThat(rs.getString(1)).isEqualTo("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
		}
	}

	private static List<String> tables(String url) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
			while (rs.next()) {
				tables.add(rs.getString(1));
			}
		}
		return tables;
	}

	@Configuration(proxyBeanMethods = false)
	static class AuditEvents implements ApplicationListener<AuditApplicationEvent> {

		final List<AuditApplicationEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AuditApplicationEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStore {

		static final StateStore STORE = new StateStore() {

			@Override
			public Optional<StateRecord> get(String namespace, String key) {
				return Optional.empty();
			}

			@Override
			public StateRecord create(String namespace, String key, String json, @Nullable String actor) {
				throw new UnsupportedOperationException();
			}

			@Override
			public StateRecord replace(String namespace, String key, String json, long expectedVersion,
					@Nullable String actor) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void delete(String namespace, String key, long expectedVersion, @Nullable String actor) {
				throw new UnsupportedOperationException();
			}

			@Override
			public StatePage<StateRecord> list(String namespace, String keyPrefix, @Nullable String pageToken,
					int pageSize) {
				return new StatePage<>(List.of(), null);
			}

			@Override
			public StatePage<StateAuditRecord> audit(String namespace, @Nullable String key,
					@Nullable String pageToken, int pageSize) {
				return new StatePage<>(List.of(), null);
			}

		};

		@Bean
		StateStore userStateStore() {
			return STORE;
		}

	}

}
