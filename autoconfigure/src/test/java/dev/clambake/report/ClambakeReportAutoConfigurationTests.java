package dev.clambake.report;

import java.nio.file.Path;
import java.time.Duration;

import dev.clambake.lease.ClambakeLeaseAutoConfiguration;
import dev.clambake.lease.Lease;
import dev.clambake.lease.Leases;
import dev.clambake.state.ClambakeStateAutoConfiguration;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.clambake.config.ClambakeConfigAutoConfiguration;
import dev.clambake.config.ClambakeConfigFileEnvironmentPostProcessor;
import dev.clambake.config.ClambakeDefaultsEnvironmentPostProcessor;
import dev.clambake.health.ClambakeHealthAutoConfiguration;
import dev.clambake.health.ClambakeReadinessMember;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.support.SystemEnvironmentPropertySourceEnvironmentPostProcessor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class ClambakeReportAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeConfigAutoConfiguration.class,
				ClambakeReportAutoConfiguration.class))
		.withInitializer(environment(Map.of(), null));

	@Test
	void defaultsRegisterReporterGateAndEndpointWithNoFindings() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ProductionReadinessReporter.class)
				.hasSingleBean(ProductionReadinessGate.class)
				.hasSingleBean(ClambakeEndpoint.class);
			assertThat(context.getBean(ProductionReadinessReporter.class).findings()).isEmpty();
		});
	}

	@Test
	void disabledRegistersNothing() {
		this.runner.withPropertyValues("clambake.report.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ProductionReadinessReporter.class)
				.doesNotHaveBean(ProductionReadinessGate.class)
				.doesNotHaveBean(ClambakeEndpoint.class));
	}

	@Test
	void withoutActuatorTheGateStillRuns() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasSingleBean(ProductionReadinessGate.class)
				.doesNotHaveBean(ClambakeEndpoint.class));
	}

	@Test
	void userReporterWins() {
		this.runner.withUserConfiguration(UserReporter.class)
			.run((context) -> assertThat(context.getBean(ProductionReadinessReporter.class))
				.isSameAs(context.getBean("userReporter")));
	}

	@Test
	void invalidFailOnStopsStartUp() {
		this.runner.withPropertyValues("clambake.report.fail-on=sometimes")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void fullSamplingInStagingOrProduction() {
		assertFinding("sampling-full", Severity.WARNING, "clambake.environment=staging",
				"management.tracing.sampling.probability=1.0");
		assertFinding("sampling-full", Severity.WARNING, "clambake.environment=production",
				"management.tracing.sampling.probability=1");
		assertNoFinding("sampling-full", "clambake.environment=development",
				"management.tracing.sampling.probability=1.0");
		assertNoFinding("sampling-full", "clambake.environment=production",
				"management.tracing.sampling.probability=0.1");
	}

	@Test
	void drainDelayZeroOnKubernetes() {
		assertFinding("drain-delay-zero", Severity.RISK, "spring.main.cloud-platform=kubernetes");
		assertFinding("drain-delay-zero", Severity.RISK, "spring.main.cloud-platform=kubernetes",
				"clambake.shutdown.drain-delay=5s", "clambake.shutdown.enabled=false");
		assertNoFinding("drain-delay-zero", "spring.main.cloud-platform=kubernetes",
				"clambake.shutdown.drain-delay=5s");
		assertNoFinding("drain-delay-zero", "clambake.shutdown.drain-delay=0s");
	}

	@Test
	void sensitiveEndpointsOnTheMainPort() {
		assertFinding("sensitive-endpoints-exposed", Severity.RISK,
				"management.endpoints.web.exposure.include=health,env,heapdump");
		assertFinding("sensitive-endpoints-exposed", Severity.RISK, "management.endpoints.web.exposure.include=*");
		assertFinding("sensitive-endpoints-exposed", Severity.RISK,
				"management.endpoints.web.exposure.include=health,loggers");
		assertNoFinding("sensitive-endpoints-exposed", "management.endpoints.web.exposure.include=health,loggers",
				"management.endpoint.loggers.access=read-only");
		assertNoFinding("sensitive-endpoints-exposed", "management.endpoints.web.exposure.include=health,shutdown");
		assertNoFinding("sensitive-endpoints-exposed", "management.endpoints.web.exposure.include=*",
				"management.server.port=9090");
		assertNoFinding("sensitive-endpoints-exposed", "management.endpoints.web.exposure.include=*",
				"management.endpoints.web.exposure.exclude=env,heapdump,threaddump,loggers");
	}

	@Test
	void healthDetailsShownToAnyone() {
		assertFinding("health-details-public", Severity.RISK, "management.endpoint.health.show-details=always");
		assertNoFinding("health-details-public", "management.endpoint.health.show-details=when-authorized");
	}

	@Test
	void noOtlpEndpointInProduction() {
		assertFinding("otlp-endpoint-missing", Severity.WARNING, "clambake.environment=production");
		assertNoFinding("otlp-endpoint-missing", "clambake.environment=production",
				"management.opentelemetry.tracing.export.otlp.endpoint=http://collector:4318/v1/traces");
		assertNoFinding("otlp-endpoint-missing", "clambake.environment=staging");
	}

	@Test
	void sqliteStateStoreOnKubernetes() {
		assertFinding("sqlite-state-on-kubernetes", Severity.RISK, "spring.main.cloud-platform=kubernetes",
				"clambake.state.enabled=true");
		assertNoFinding("sqlite-state-on-kubernetes", "spring.main.cloud-platform=kubernetes",
				"clambake.state.enabled=true", "clambake.state.url=jdbc:postgresql://db/state");
		assertNoFinding("sqlite-state-on-kubernetes", "clambake.state.enabled=true");
		assertNoFinding("sqlite-state-on-kubernetes", "spring.main.cloud-platform=kubernetes");
	}

	@Test
	void secretWrittenAsALiteralInAConfigFile() {
		ApplicationContextRunner withFile = this.runner.withInitializer(configFile("""
				clambake:
				  state:
				    password: hunter2
				upstream:
				  api-token: ${UPSTREAM_TOKEN}
				"""));
		withFile.run((context) -> {
			List<Finding> findings = context.getBean(ProductionReadinessReporter.class).findings();
			assertThat(findings).filteredOn((finding) -> finding.id().equals("secret-in-config-file"))
				.singleElement()
				.satisfies((finding) -> assertThat(finding.explanation()).contains("clambake.state.password")
					.contains("application.yml")
					.doesNotContain("hunter2"));
		});
		// The same secret from an environment variable or the command line is fine
		assertNoFinding("secret-in-config-file", "clambake.state.password=hunter2");
	}

	@Test
	void gracefulShutdownDisabled() {
		assertFinding("graceful-shutdown-disabled", Severity.RISK, "server.shutdown=immediate");
		assertNoFinding("graceful-shutdown-disabled", "server.shutdown=graceful");
	}

	@Test
	void retryWithoutACircuitBreakerOnAClient() {
		assertFinding("retry-without-circuit-breaker", Severity.WARNING,
				"clambake.http.clients.payments.base-url=http://payments", "clambake.http.clients.payments.circuit-breaker=none");
		assertNoFinding("retry-without-circuit-breaker", "clambake.http.clients.payments.base-url=http://payments");
		assertNoFinding("retry-without-circuit-breaker", "clambake.http.clients.payments.circuit-breaker=none",
				"resilience4j.retry.instances.payments.max-attempts=1");
		assertNoFinding("retry-without-circuit-breaker", "clambake.http.clients.payments.circuit-breaker=none",
				"clambake.http.clients.payments.retry=once", "resilience4j.retry.instances.once.max-attempts=1");
	}

	@Test
	void unknownClambakeVariables() {
		this.runner.withInitializer(environment(Map.of("CLAMBAKE_ENVIROMENT", "staging"), null)).run((context) -> {
			assertThat(context.getBean(ProductionReadinessReporter.class).findings())
				.extracting(Finding::id, Finding::severity)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("unknown-environment-variable",
						Severity.WARNING));
		});
	}

	@Test
	void endpointShowsCapabilitiesSettingsWithSourcesAndNeverASecret() {
		this.runner.withInitializer(environment(Map.of("CLAMBAKE_ENVIRONMENT", "staging"), null))
			.withPropertyValues("clambake.state.url=jdbc:postgresql://app:s3cret@db/state?password=s3cret",
					"management.endpoint.health.show-details=always", "clambake.report.show-details=always")
			.run((context) -> {
				ClambakeReport report = context.getBean(ClambakeEndpoint.class).report(SecurityContext.NONE);
				assertThat(report.environment()).isEqualTo("staging");
				assertThat(report.capabilities()).extracting(CapabilityStatus::name)
					.startsWith("config")
					.contains("report", "state");
				assertThat(report.capabilities()).filteredOn(CapabilityStatus::active)
					.extracting(CapabilityStatus::name)
					.containsExactly("config", "report");
				assertThat(report.capabilities()).filteredOn((status) -> status.name().equals("state"))
					.singleElement()
					.satisfies((status) -> assertThat(status.reason()).isEqualTo("not installed"));
				Map<String, Setting> settings = new HashMap<>();
				report.settings().forEach((setting) -> settings.put(setting.name(), setting));
				assertThat(settings.get("clambake.environment").source()).isEqualTo("environment variable");
				assertThat(settings.get("clambake.environment").origin()).contains("CLAMBAKE_ENVIRONMENT");
				assertThat(settings.get("server.shutdown").source()).isEqualTo("clambake default");
				assertThat(settings.get("management.endpoint.health.show-details").source()).isEqualTo("test");
				assertThat(settings.get("clambake.shutdown.drain-delay").source()).isEqualTo("clambake default");
				assertThat(settings.get("clambake.state.url").value()).doesNotContain("s3cret").contains("******");
				assertThat(report.findings()).extracting(Finding::id).contains("health-details-public");
				assertThat(report.toString()).doesNotContain("s3cret");
			});
	}

	@Test
	void endpointListsLeasesWithHolderTokenAndExpiryAndTheSummaryOnlyTheirNames(@TempDir Path directory) {
		this.runner
			.withConfiguration(AutoConfigurations.of(ClambakeStateAutoConfiguration.class,
					ClambakeLeaseAutoConfiguration.class))
			.withPropertyValues("clambake.state.enabled=true",
					"clambake.state.url=jdbc:sqlite:" + directory.resolve("state.db"), "clambake.lease.holder=replica-7",
					"clambake.report.show-details=always")
			.run((context) -> {
				Lease lease = context.getBean(Leases.class).tryAcquire("nightly", Duration.ofMinutes(1)).orElseThrow();
				ClambakeReport report = context.getBean(ProductionReadinessReporter.class).report();
				assertThat(report.leases()).containsExactly(
						new LeaseStatus("nightly", true, "replica-7", lease.token(), lease.expiresAt()));
				assertThat(report.capabilities()).filteredOn(CapabilityStatus::active)
					.extracting(CapabilityStatus::name)
					.contains("state", "lease");
				assertThat(report.summary().leases())
					.containsExactly(new LeaseStatus("nightly", true, null, null, null));
			});
	}

	@Test
	void reportListsCriticalAndOptionalComponentsAndWarmUp() {
		this.runner.withConfiguration(AutoConfigurations.of(ClambakeHealthAutoConfiguration.class))
			.withBean(ClambakeReadinessMember.class, () -> new ClambakeReadinessMember("stateStore"))
			.withPropertyValues("clambake.health.components.database.criticality=critical",
					"clambake.health.components.cache.criticality=optional",
					"clambake.health.components.flaky.failure-threshold=3")
			.run((context) -> {
				Probes probes = context.getBean(ProductionReadinessReporter.class).report().probes();
				assertThat(probes).isEqualTo(new Probes(List.of("database", "stateStore"), List.of("cache"), true, "off"));
				assertThat(context.getBean(ProductionReadinessReporter.class).report().summary().probes())
					.isEqualTo(new Probes(List.of("database", "stateStore"), List.of("cache"), true, null));
			});
		this.runner.run((context) -> assertThat(context.getBean(ProductionReadinessReporter.class).report().probes())
			.isNull());
	}

	@Test
	void endpointShowsAnAnonymousCallerStatusesAndFindingIdsOnly() {
		this.runner.withPropertyValues("clambake.state.url=jdbc:postgresql://db.internal:5432/orders?user=postgres",
				"server.shutdown=immediate")
			.run((context) -> {
				ClambakeReport report = context.getBean(ClambakeEndpoint.class).report(SecurityContext.NONE);
				assertThat(report.settings()).isEmpty();
				assertThat(report.capabilities()).extracting(CapabilityStatus::name).contains("config", "state");
				assertThat(report.capabilities()).extracting(CapabilityStatus::reason).containsOnlyNulls();
				assertThat(report.findings()).extracting(Finding::id).contains("graceful-shutdown-disabled");
				assertThat(report.findings()).extracting(Finding::explanation, Finding::fix)
					.allSatisfy((pair) -> assertThat(pair.toList()).containsOnlyNulls());
				assertThat(report.toString()).doesNotContain("db.internal", "postgres", "orders", "5432");
				// The same report in full holds them
				assertThat(context.getBean(ProductionReadinessReporter.class).report().toString())
					.contains("db.internal");
			});
	}

	@Test
	void endpointShowsDetailsToAnAuthenticatedCallerWhenAuthorized() {
		this.runner.run((context) -> assertThat(
				context.getBean(ClambakeEndpoint.class).report(new Caller("ops", Set.of())).settings())
			.isNotEmpty());
	}

	@Test
	void endpointShowsDetailsOnlyToCallersInARoleWhenRolesAreSet() {
		this.runner.withPropertyValues("clambake.report.roles=OPS").run((context) -> {
			ClambakeEndpoint endpoint = context.getBean(ClambakeEndpoint.class);
			assertThat(endpoint.report(new Caller("dev", Set.of("DEV"))).settings()).isEmpty();
			assertThat(endpoint.report(new Caller("ops", Set.of("OPS"))).settings()).isNotEmpty();
		});
	}

	@Test
	void endpointNeverShowsDetailsWhenShowDetailsIsNever() {
		this.runner.withPropertyValues("clambake.report.show-details=never")
			.run((context) -> assertThat(
					context.getBean(ClambakeEndpoint.class).report(new Caller("ops", Set.of())).settings())
				.isEmpty());
	}

	@Test
	void invalidShowDetailsStopsStartUp() {
		this.runner.withPropertyValues("clambake.report.show-details=sometimes")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void settingsNotSetAnywhereShowTheDefaultTheirPropertyDeclares() {
		this.runner.run((context) -> {
			Map<String, Setting> settings = settings(context);
			assertThat(settings.get("clambake.environment")).isEqualTo(new Setting("clambake.environment",
					"development", "clambake default", "dev.clambake.config.ClambakeProperties"));
			assertThat(settings.get("clambake.shutdown.drain-delay")).extracting(Setting::value, Setting::source)
				.containsExactly("0s", "clambake default");
			// Clambake's defaults property source, ahead of Spring Boot's 30s
			assertThat(settings.get("spring.lifecycle.timeout-per-shutdown-phase"))
				.extracting(Setting::value, Setting::source)
				.containsExactly("15s", "clambake default");
			assertThat(settings.get("management.server.port")).extracting(Setting::value, Setting::source)
				.containsExactly("same as server.port", "not set");
			assertThat(context.getBean(ProductionReadinessReporter.class).report().environment()).isEqualTo("development");
		});
	}

	@Test
	void settingsWithoutClambakeDefaultsShowSpringBootsDefaults() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ClambakeConfigAutoConfiguration.class,
					ClambakeReportAutoConfiguration.class))
			.run((context) -> {
				assertThat(context.getEnvironment().getPropertySources()
					.contains(ClambakeDefaultsEnvironmentPostProcessor.NAME)).isFalse();
				Map<String, Setting> settings = settings(context);
				assertThat(settings.get("spring.lifecycle.timeout-per-shutdown-phase"))
					.extracting(Setting::value, Setting::source)
					.containsExactly("30s", "spring boot default");
				assertThat(settings.get("spring.lifecycle.timeout-per-shutdown-phase").origin())
					.endsWith("LifecycleProperties");
				assertThat(settings.get("management.endpoints.web.exposure.include"))
					.extracting(Setting::value, Setting::source)
					.containsExactly("health", "spring boot default");
				assertThat(settings.get("server.shutdown")).extracting(Setting::value, Setting::source)
					.containsExactly("graceful", "spring boot default");
			});
	}

	@Test
	void settingFromAnEnvironmentVariableNamesTheVariable() {
		this.runner.withInitializer(environment(Map.of("CLAMBAKE_ENVIRONMENT", "staging"), null)).run((context) -> {
			assertThat(settings(context).get("clambake.environment")).isEqualTo(
					new Setting("clambake.environment", "staging", "environment variable", "CLAMBAKE_ENVIRONMENT"));
			assertThat(context.getBean(ProductionReadinessReporter.class).report().environment()).isEqualTo("staging");
		});
	}

	@Test
	void settingFromAConfigFileNamesTheFileAndLine() {
		this.runner.withInitializer(configFile("""
				server:
				  port: 8080
				clambake:
				  environment: Production
				""")).run((context) -> {
					Setting setting = settings(context).get("clambake.environment");
					assertThat(setting).extracting(Setting::value, Setting::source)
						.containsExactly("Production", "file");
					assertThat(setting.origin()).contains("application.yml").endsWith(" - 4:16");
					// Bound as the capabilities bind it, whatever its case
					assertThat(context.getBean(ProductionReadinessReporter.class).report().environment())
						.isEqualTo("production");
				});
	}

	@Test
	void settingFromAClambakeTomlFileNamesTheFileAndLine(@TempDir Path directory) throws IOException {
		Path file = Files.writeString(directory.resolve("clambake.toml"), """
				# where this copy runs
				environment = "testing"
				""");
		this.runner.withPropertyValues("clambake.config.location=" + directory)
			.withInitializer((context) -> new ClambakeConfigFileEnvironmentPostProcessor((destination) -> destination.get())
				.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
			.run((context) -> {
				Setting setting = settings(context).get("clambake.environment");
				assertThat(setting).extracting(Setting::value, Setting::source).containsExactly("testing", "file");
				assertThat(setting.origin()).contains(file.toString()).endsWith(" - 2:1");
			});
	}

	@Test
	void settingFromTheCommandLine() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SimpleCommandLinePropertySource("--clambake.health.timeout=3s")))
			.run((context) -> assertThat(settings(context).get("clambake.health.timeout"))
				.extracting(Setting::value, Setting::source)
				.containsExactly("3s", "command line"));
	}

	@Test
	void failOnRiskStopsStartUpListingTheRisks() {
		this.runner.withPropertyValues("clambake.report.fail-on=risk", "server.shutdown=immediate",
				"clambake.environment=production")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (!(failure instanceof ProductionReadinessException) && failure.getCause() != null) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(ProductionReadinessException.class);
				ProductionReadinessException exception = (ProductionReadinessException) failure;
				assertThat(exception.getFindings()).extracting(Finding::id).containsExactly("graceful-shutdown-disabled");
				assertThat(exception.getDescription()).contains("graceful-shutdown-disabled")
					.contains("clambake.report.fail-on=risk")
					.doesNotContain("otlp-endpoint-missing");
			});
	}

	@Test
	void failOnWarningStopsOnWarningsToo() {
		this.runner.withPropertyValues("clambake.report.fail-on=warning", "clambake.environment=production")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("clambake.report.fail-on=risk", "clambake.environment=production")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void findingsAreLoggedWithTheirFixAndListedInTheSummary(CapturedOutput output) {
		this.runner.withPropertyValues("server.shutdown=immediate").run((context) -> {
			context.publishEvent(mock(ApplicationReadyEvent.class));
			assertThat(output).contains("[risk] graceful-shutdown-disabled")
				.contains("Fix: Remove server.shutdown=immediate")
				.contains("findings: risk graceful-shutdown-disabled");
		});
	}

	private static Map<String, Setting> settings(ConfigurableApplicationContext context) {
		Map<String, Setting> settings = new HashMap<>();
		context.getBean(ProductionReadinessReporter.class)
			.report()
			.settings()
			.forEach((setting) -> settings.put(setting.name(), setting));
		return settings;
	}

	private void assertFinding(String id, Severity severity, String... properties) {
		this.runner.withPropertyValues(properties)
			.run((context) -> assertThat(context.getBean(ProductionReadinessReporter.class).findings())
				.as(String.join(", ", properties))
				.filteredOn((finding) -> finding.id().equals(id))
				.singleElement()
				.satisfies((finding) -> {
					assertThat(finding.severity()).isEqualTo(severity);
					assertThat(finding.explanation()).isNotBlank();
					assertThat(finding.fix()).isNotBlank();
				}));
	}

	private void assertNoFinding(String id, String... properties) {
		this.runner.withPropertyValues(properties)
			.run((context) -> assertThat(context.getBean(ProductionReadinessReporter.class).findings())
				.as(String.join(", ", properties))
				.extracting(Finding::id)
				.doesNotContain(id));
	}

	/**
	 * Controlled environment variables (never the machine's own) and Clambake's defaults.
	 */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> environment(
			Map<String, Object> variables, @org.jspecify.annotations.Nullable Object unused) {
		return (context) -> {
			var sources = context.getEnvironment().getPropertySources();
			sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							variables));
			new SystemEnvironmentPropertySourceEnvironmentPostProcessor()
				.postProcessEnvironment(context.getEnvironment(), new SpringApplication());
			if (!sources.contains(ClambakeDefaultsEnvironmentPostProcessor.NAME)) {
				new ClambakeDefaultsEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(),
						new SpringApplication());
			}
		};
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> configFile(String yaml) {
		return (context) -> {
			try {
				ByteArrayResource resource = new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8),
						"application.yml");
				for (PropertySource<?> source : new YamlPropertySourceLoader().load("Config resource 'application.yml'",
						resource)) {
					context.getEnvironment().getPropertySources().addLast(source);
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

	@Configuration(proxyBeanMethods = false)
	static class UserReporter {

		@Bean
		ProductionReadinessReporter userReporter(ConfigurableApplicationContext context) {
			return new ProductionReadinessReporter(context);
		}

	}

	private record Caller(String name, Set<String> roles) implements SecurityContext {

		@Override
		public java.security.Principal getPrincipal() {
			return this::name;
		}

		@Override
		public boolean isUserInRole(String role) {
			return this.roles.contains(role);
		}

	}

}
