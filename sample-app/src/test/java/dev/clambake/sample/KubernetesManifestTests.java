package dev.clambake.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.clambake.config.ClambakeDefaultsEnvironmentPostProcessor;
import dev.clambake.health.ClambakeHealthProperties;
import dev.clambake.shutdown.ClambakeShutdownEnvironmentPostProcessor;
import dev.clambake.shutdown.ClambakeShutdownProperties;
import dev.clambake.state.ClambakeStateProperties;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests agree with Clambake: probes on the probe groups, and a termination
 * grace period that covers the whole shutdown budget so a clean shutdown is never SIGKILLed.
 */
class KubernetesManifestTests {

	private static final Path KUBERNETES = Path.of("../ops/kubernetes");

	@Test
	@SuppressWarnings("unchecked")
	void graceCoversDrainGracefulShutdownTrackedWorkAndTheStateStore() throws IOException {
		Map<String, Object> pod = podSpec();
		Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
		Map<String, String> env = ((List<Map<String, Object>>) container.get("env")).stream()
			.filter((variable) -> variable.containsKey("value"))
			.collect(Collectors.toMap((variable) -> (String) variable.get("name"),
					(variable) -> String.valueOf(variable.get("value"))));
		Duration budget = duration(env, "CLAMBAKE_SHUTDOWN_DRAIN_DELAY")
			.plus(duration(env, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"))
			.plus(duration(env, "CLAMBAKE_SHUTDOWN_WORK_TIMEOUT"))
			// the state store's shutdown hook runs for its shutdown timeout plus one second
			.plus(duration(env, "CLAMBAKE_STATE_SHUTDOWN_TIMEOUT"))
			.plusSeconds(1);
		int grace = (Integer) pod.get("terminationGracePeriodSeconds");
		assertThat(Duration.ofSeconds(grace)).isGreaterThan(budget);
		assertThat(duration(env, "CLAMBAKE_SHUTDOWN_DRAIN_DELAY")).isPositive();
		assertThat(env.get("CLAMBAKE_STATE_URL")).startsWith("jdbc:postgresql://");
	}

	@Test
	@SuppressWarnings("unchecked")
	void probesUseTheProbeGroupsWithTimeoutsAboveTheHealthTimeBox() throws IOException {
		Map<String, Object> container = ((List<Map<String, Object>>) podSpec().get("containers")).get(0);
		assertThat(path(container, "startupProbe")).isEqualTo("/actuator/health/startup");
		assertThat(path(container, "livenessProbe")).isEqualTo("/actuator/health/liveness");
		assertThat(path(container, "readinessProbe")).isEqualTo("/actuator/health/readiness");
		int readinessTimeout = (Integer) ((Map<String, Object>) container.get("readinessProbe")).get("timeoutSeconds");
		// clambake.health.timeout is 2s by default: a probe must outlast the time box
		assertThat(readinessTimeout).isGreaterThan(2);
		assertThat((Map<String, Object>) container.get("resources")).containsKey("requests");
	}

	/**
	 * The manifest's numbers follow from Clambake's settings as the pod runs them: the
	 * defaults (read from the properties classes and Clambake's default property sources, on
	 * Kubernetes) overridden by the manifest's environment. A changed default fails this test
	 * until the manifest follows.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void probeTimingsAndGraceFollowFromClambakesEffectiveSettings() throws IOException {
		Map<String, Object> pod = podSpec();
		Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
		Binder settings = effectiveSettings(container);
		ClambakeHealthProperties health = settings.bindOrCreate("clambake.health", ClambakeHealthProperties.class);
		ClambakeShutdownProperties shutdown = settings.bindOrCreate("clambake.shutdown",
				ClambakeShutdownProperties.class);
		ClambakeStateProperties state = settings.bindOrCreate("clambake.state", ClambakeStateProperties.class);
		Duration phase = settings.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get();

		// Every probe outlasts the health time box, so a timed-out check answers before Kubernetes gives up
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			Map<String, Object> spec = (Map<String, Object>) container.get(probe);
			assertThat(Duration.ofSeconds((Integer) spec.get("timeoutSeconds"))).as(probe)
				.isGreaterThan(health.getTimeout());
		}
		// Start-up (a minute allowed) plus the whole warm-up budget fit in the startup window
		Map<String, Object> startup = (Map<String, Object>) container.get("startupProbe");
		Duration startupWindow = Duration
			.ofSeconds((long) (Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold"));
		assertThat(startupWindow).isGreaterThanOrEqualTo(Duration.ofMinutes(1).plus(health.getWarmUp().getTimeout()));
		// Readiness flips within the drain delay's order of magnitude: the drain delay covers at
		// least one readiness period, so endpoints see the 503 before the server stops accepting
		Map<String, Object> readiness = (Map<String, Object>) container.get("readinessProbe");
		assertThat(shutdown.getDrainDelay()).isGreaterThanOrEqualTo(
				Duration.ofSeconds((Integer) readiness.get("periodSeconds")));
		// The whole shutdown budget fits in the grace period
		Duration budget = shutdown.getDrainDelay()
			.plus(phase)
			.plus(shutdown.getWorkTimeout())
			.plus(state.getShutdownTimeout())
			.plusSeconds(1);
		assertThat(Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds"))).isGreaterThan(budget);
		// What the header comment states
		assertThat(health.getTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(health.getWarmUp().getTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(budget).isEqualTo(Duration.ofSeconds(31));
	}

	@SuppressWarnings("unchecked")
	private static Binder effectiveSettings(Map<String, Object> container) {
		Map<String, Object> variables = new LinkedHashMap<>();
		((List<Map<String, Object>>) container.get("env")).stream()
			.filter((variable) -> variable.containsKey("value"))
			.forEach((variable) -> variables.put((String) variable.get("name"), String.valueOf(variable.get("value"))));
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("manifest", variables));
		// What Spring Boot detects in every pod (KUBERNETES_SERVICE_HOST and _PORT)
		environment.getPropertySources()
			.addLast(new MapPropertySource("pod", Map.of("spring.main.cloud-platform", "kubernetes")));
		SpringApplication application = new SpringApplication();
		new ClambakeDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, application);
		new ClambakeShutdownEnvironmentPostProcessor().postProcessEnvironment(environment, application);
		return Binder.get(environment);
	}

	@Test
	@SuppressWarnings("unchecked")
	void serviceMonitorScrapesThePrometheusEndpoint() throws IOException {
		Map<String, Object> monitor = new Yaml().load(Files.readString(KUBERNETES.resolve("servicemonitor.yaml")));
		Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) monitor.get("spec"))
			.get("endpoints")).get(0);
		assertThat(endpoint).containsEntry("path", "/actuator/prometheus").containsEntry("port", "http");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> podSpec() throws IOException {
		Map<String, Object> deployment = new Yaml().load(Files.readString(KUBERNETES.resolve("deployment.yaml")));
		Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec"))
			.get("template");
		return (Map<String, Object>) template.get("spec");
	}

	@SuppressWarnings("unchecked")
	private static String path(Map<String, Object> container, String probe) {
		return (String) ((Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet")).get("path");
	}

	private static Duration duration(Map<String, String> env, String name) {
		assertThat(env).containsKey(name);
		return DurationStyle.detectAndParse(env.get(name));
	}

}
