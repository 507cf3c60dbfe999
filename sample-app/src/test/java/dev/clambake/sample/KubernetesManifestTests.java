package dev.clambake.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.convert.DurationStyle;

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
