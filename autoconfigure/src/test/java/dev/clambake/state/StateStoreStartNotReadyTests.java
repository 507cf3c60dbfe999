package dev.clambake.state;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.clambake.config.ClambakeDefaultsEnvironmentPostProcessor;
import dev.clambake.health.ClambakeHealthAutoConfiguration;
import dev.clambake.testsupport.FaultProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code clambake.state.on-start-up-unavailable=start-not-ready}: PostgreSQL behind a
 * {@link FaultProxy} that black-holes every connection at start-up. The application starts, the
 * store is unavailable and readiness is DOWN, and the store becomes ready once the database
 * answers, without a restart. Every wait is bounded.
 */
class StateStoreStartNotReadyTests {

	private static final Duration GENEROUS = Duration.ofSeconds(8);

	private static final String CONNECT_THREAD = "clambake-state-connect";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer((context) -> new ClambakeDefaultsEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("management.endpoint.health.show-details=always")
		.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
				ClambakeHealthAutoConfiguration.class, ClambakeStateAutoConfiguration.class));

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<ClambakeStateProperties> schemas = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		for (ClambakeStateProperties properties : this.schemas) {
			TestDatabases.postgres().dropSchemaOf(properties);
		}
	}

	@Test
	void startsNotReadyWhileTheDatabaseNeverAnswersAndBecomesReadyOnceItDoes() throws Exception {
		FaultProxy proxy = proxy();
		proxy.blackHole();
		ClambakeStateProperties properties = throughProxy(proxy);
		long start = System.nanoTime();
		this.runner
			.withPropertyValues("clambake.state.enabled=true", "clambake.state.url=" + properties.getUrl(),
					"clambake.state.username=" + properties.getUsername(),
					"clambake.state.password=" + properties.getPassword(), "clambake.state.connect-timeout=1s",
					"clambake.state.socket-timeout=2s", "clambake.state.pool.connection-timeout=1s",
					"clambake.state.on-start-up-unavailable=start-not-ready")
			.run((context) -> {
				// One connect attempt of 1s, then start-up goes on
				assertThat(elapsed(start)).isLessThan(GENEROUS);
				assertThat(context).hasNotFailed();
				JdbcStateStore store = context.getBean(JdbcStateStore.class);
				assertThat(store.isReady()).isFalse();
				assertThat(connectThreadAlive()).isTrue();
				long write = System.nanoTime();
				assertThatExceptionOfType(StateStoreUnavailableException.class)
					.isThrownBy(() -> store.create("tasks", "early", "{}"))
					.withMessageContaining("not yet connected");
				// No connection is attempted: the store answers at once
				assertThat(elapsed(write)).isLessThan(Duration.ofMillis(500));
				WebEndpointResponse<HealthDescriptor> readiness = probe(context, "readiness");
				assertThat(readiness.getStatus()).isEqualTo(503);
				IndicatedHealthDescriptor stateStore = stateStore(readiness);
				assertThat(stateStore.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) stateStore.getDetails().get("reason")).startsWith("not yet connected: ");
				assertThat(probe(context, "liveness").getStatus()).isEqualTo(200);
				proxy.pass();
				// Back-off from 1s doubling: the next attempt after the fault clears is within 4s
				Awaitility.await().atMost(Duration.ofSeconds(15)).until(store::isReady);
				assertThat(probe(context, "readiness").getStatus()).isEqualTo(200);
				assertThat(stateStore(probe(context, "readiness")).getStatus()).isEqualTo(Status.UP);
				store.create("tasks", "ready", "{\"a\":1}");
				assertThat(store.get("tasks", "ready")).hasValueSatisfying(
						(record) -> assertThat(record.value()).isEqualTo("{\"a\":1}"));
				assertThat(schemaHistoryRows(properties)).isPositive();
				Awaitility.await().atMost(GENEROUS).until(() -> !connectThreadAlive());
			});
	}

	@Test
	void closingTheStoreWhileItConnectsEndsTheConnectThreadPromptly() throws Exception {
		FaultProxy proxy = proxy();
		proxy.blackHole();
		ClambakeStateProperties properties = throughProxy(proxy);
		properties.setOnStartUpUnavailable(ClambakeStateProperties.OnStartUpUnavailable.START_NOT_READY);
		JdbcStateStore store = JdbcStateStore.open(properties, List.of());
		assertThat(connectThreadAlive()).isTrue();
		// Wait for a retry to be under way, blocked on the black hole
		int connections = proxy.connections();
		Awaitility.await().atMost(GENEROUS).until(() -> proxy.connections() > connections);
		long start = System.nanoTime();
		store.close();
		Awaitility.await().atMost(GENEROUS).until(() -> !connectThreadAlive());
		// Bounded by the 1s connect time-out of the attempt under way
		assertThat(elapsed(start)).isLessThan(Duration.ofSeconds(3));
		assertThat(store.isReady()).isFalse();
		assertThatExceptionOfType(StateStoreException.class).isThrownBy(() -> store.get("tasks", "t"))
			.withMessageContaining("closed");
	}

	@Test
	void aRoleTheDatabaseDoesNotKnowStillFailsStartUp() throws Exception {
		ClambakeStateProperties properties = TestDatabases.postgres().newSchema();
		this.schemas.add(properties);
		properties.setUsername("clambake_no_such_role");
		properties.setConnectTimeout(Duration.ofSeconds(1));
		properties.setOnStartUpUnavailable(ClambakeStateProperties.OnStartUpUnavailable.START_NOT_READY);
		Throwable failure = catchThrowable(() -> this.closeables.add(JdbcStateStore.open(properties, List.of())));
		assertThat(failure).isInstanceOf(StateStoreStartupException.class);
		assertThat(((StateStoreStartupException) failure).getDescription()).contains("clambake_no_such_role");
		assertThat(connectThreadAlive()).isFalse();
	}

	@Test
	void failIsTheDefault() {
		assertThat(new ClambakeStateProperties().getOnStartUpUnavailable())
			.isEqualTo(ClambakeStateProperties.OnStartUpUnavailable.FAIL);
	}

	private static boolean connectThreadAlive() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(CONNECT_THREAD) && thread.isAlive() && thread.isDaemon());
	}

	private static long schemaHistoryRows(ClambakeStateProperties properties) throws SQLException {
		String url = properties.getUrl();
		String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
		try (Connection connection = TestDatabases.postgres().connect(schema);
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT count(*) FROM " + JdbcStateStore.SCHEMA_HISTORY_TABLE + " WHERE success")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private FaultProxy proxy() throws IOException {
		TestDatabases.Postgres postgres = TestDatabases.postgres();
		String hostAndPort = postgres.url().replaceFirst("^jdbc:postgresql://([^/]+)/.*$", "$1");
		String host = hostAndPort.contains(":") ? hostAndPort.substring(0, hostAndPort.lastIndexOf(':'))
				: hostAndPort;
		int port = hostAndPort.contains(":") ? Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1))
				: 5432;
		FaultProxy proxy = FaultProxy.start(host, port);
		this.closeables.add(proxy);
		return proxy;
	}

	private ClambakeStateProperties throughProxy(FaultProxy proxy) throws SQLException {
		ClambakeStateProperties properties = TestDatabases.postgres().newSchema();
		this.schemas.add(properties);
		ClambakeStateProperties faulty = new ClambakeStateProperties();
		faulty.setUrl(properties.getUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"));
		faulty.setUsername(properties.getUsername());
		faulty.setPassword(properties.getPassword());
		faulty.setConnectTimeout(Duration.ofSeconds(1));
		faulty.setSocketTimeout(Duration.ofSeconds(2));
		faulty.getPool().setConnectionTimeout(Duration.ofSeconds(1));
		return faulty;
	}

	private static IndicatedHealthDescriptor stateStore(WebEndpointResponse<HealthDescriptor> response) {
		IndicatedHealthDescriptor descriptor = (IndicatedHealthDescriptor) ((CompositeHealthDescriptor) response
			.getBody()).getComponents().get("stateStore");
		assertThat(descriptor).as("stateStore").isNotNull();
		return descriptor;
	}

	private static WebEndpointResponse<HealthDescriptor> probe(AssertableApplicationContext context, String probe) {
		// What SpringApplication publishes once the application has started
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		return new HealthEndpointWebExtension(context.getBean(HealthContributorRegistry.class),
				context.getBeanProvider(ReactiveHealthContributorRegistry.class).getIfAvailable(),
				context.getBean(HealthEndpointGroups.class), null)
			.health(ApiVersion.V3, WebServerNamespace.SERVER, SecurityContext.NONE, probe);
	}

	private static Duration elapsed(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
