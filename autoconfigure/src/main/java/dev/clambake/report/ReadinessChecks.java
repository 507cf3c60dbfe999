package dev.clambake.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.clambake.config.ClambakeEnvironment;
import dev.clambake.config.SecretMasking;
import dev.clambake.config.UnknownEnvironmentVariable;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * The checks behind the findings. Each reads only the environment, so a finding appears
 * exactly when its configuration is present.
 */
final class ReadinessChecks {

	static final String UNKNOWN_ENVIRONMENT_VARIABLE = "unknown-environment-variable";

	private static final List<String> SENSITIVE_ENDPOINTS = List.of("env", "heapdump", "threaddump", "shutdown",
			"loggers");

	private final ConfigurableEnvironment environment;

	private final Binder binder;

	private final ClambakeEnvironment clambakeEnvironment;

	private final boolean kubernetes;

	ReadinessChecks(ConfigurableEnvironment environment) {
		this.environment = environment;
		this.binder = Binder.get(environment);
		this.clambakeEnvironment = ClambakeEnvironment.of(environment);
		this.kubernetes = CloudPlatform.getActive(environment) == CloudPlatform.KUBERNETES;
	}

	List<Finding> findings(List<UnknownEnvironmentVariable> unknownVariables) {
		List<Finding> findings = new ArrayList<>();
		fullSampling(findings);
		drainDelayZero(findings);
		sensitiveEndpoints(findings);
		healthDetails(findings);
		otlpEndpoint(findings);
		sqliteOnKubernetes(findings);
		secretsInFiles(findings);
		gracefulShutdown(findings);
		retryWithoutCircuitBreaker(findings);
		for (UnknownEnvironmentVariable variable : unknownVariables) {
			String closest = (variable.suggestion() != null) ? " (closest known: " + variable.suggestion() + ")" : "";
			findings.add(new Finding(UNKNOWN_ENVIRONMENT_VARIABLE, Severity.WARNING,
					"Environment variable " + variable.name() + " matches no Clambake property" + closest + ".",
					"Rename or remove " + variable.name() + "."));
		}
		return findings;
	}

	private void fullSampling(List<Finding> findings) {
		double probability = this.binder.bind("management.tracing.sampling.probability", Double.class).orElse(0.1);
		if (this.clambakeEnvironment.isDeployed() && probability >= 1.0) {
			findings.add(new Finding("sampling-full", Severity.WARNING,
					"Every request is traced (management.tracing.sampling.probability=" + probability + ") in "
							+ this.clambakeEnvironment + ", which costs throughput and exporter capacity.",
					"Set management.tracing.sampling.probability to 0.1 or lower."));
		}
	}

	private void drainDelayZero(List<Finding> findings) {
		if (!this.kubernetes) {
			return;
		}
		boolean shutdownEnabled = this.binder.bind("clambake.shutdown.enabled", Boolean.class).orElse(true);
		Duration drainDelay = this.binder.bind("clambake.shutdown.drain-delay", Duration.class).orElse(Duration.ZERO);
		if (!shutdownEnabled || drainDelay.isZero()) {
			findings.add(new Finding("drain-delay-zero", Severity.RISK,
					"Running on Kubernetes with no drain delay: requests routed to the pod after SIGTERM are refused.",
					"Set clambake.shutdown.drain-delay to 5s or more (and keep clambake.shutdown.enabled on)."));
		}
	}

	private void sensitiveEndpoints(List<Finding> findings) {
		if (!managementOnMainPort()) {
			return;
		}
		Set<String> include = list("management.endpoints.web.exposure.include");
		Set<String> exclude = list("management.endpoints.web.exposure.exclude");
		List<String> exposed = SENSITIVE_ENDPOINTS.stream()
			.filter((id) -> (include.contains("*") || include.contains(id)) && !exclude.contains(id))
			.filter((id) -> id.equals("loggers") ? access(id).equals("unrestricted") : !access(id).equals("none"))
			.toList();
		if (!exposed.isEmpty()) {
			findings.add(new Finding("sensitive-endpoints-exposed", Severity.RISK,
					"Sensitive actuator endpoints are reachable over HTTP on the main port: "
							+ String.join(", ", exposed) + ".",
					"Remove them from management.endpoints.web.exposure.include, or move the actuator to its"
							+ " own port with management.server.port."));
		}
	}

	private boolean managementOnMainPort() {
		String managementPort = this.environment.getProperty("management.server.port");
		return managementPort == null || managementPort.equals(this.environment.getProperty("server.port"));
	}

	private String access(String endpoint) {
		String defaultAccess = endpoint.equals("shutdown") ? "none" : "unrestricted";
		String access = this.environment.getProperty("management.endpoint." + endpoint + ".access",
				this.environment.getProperty("management.endpoints.access.default", defaultAccess));
		String maxPermitted = this.environment.getProperty("management.endpoints.access.max-permitted",
				"unrestricted");
		List<String> order = List.of("none", "read-only", "unrestricted");
		String effective = normalize(access);
		String cap = normalize(maxPermitted);
		return (order.indexOf(effective) > order.indexOf(cap)) ? cap : effective;
	}

	private static String normalize(String access) {
		return access.trim().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private void healthDetails(List<Finding> findings) {
		String showDetails = this.environment.getProperty("management.endpoint.health.show-details", "never");
		if (normalize(showDetails).equals("always")) {
			findings.add(new Finding("health-details-public", Severity.RISK,
					"Health details (versions, hosts, errors of every dependency) are shown to anyone who can"
							+ " reach the health endpoint.",
					"Set management.endpoint.health.show-details to never or when-authorized."));
		}
	}

	private void otlpEndpoint(List<Finding> findings) {
		String endpoint = this.environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint");
		if (this.clambakeEnvironment == ClambakeEnvironment.PRODUCTION && (endpoint == null || endpoint.isBlank())) {
			findings.add(new Finding("otlp-endpoint-missing", Severity.WARNING,
					"No OTLP endpoint is set in production: traces are recorded but never exported.",
					"Set management.opentelemetry.tracing.export.otlp.endpoint to your collector, for example"
							+ " http://otel-collector:4318/v1/traces."));
		}
	}

	private void sqliteOnKubernetes(List<Finding> findings) {
		boolean stateEnabled = this.binder.bind("clambake.state.enabled", Boolean.class).orElse(false);
		String url = this.environment.getProperty("clambake.state.url", "jdbc:sqlite:");
		if (this.kubernetes && stateEnabled && url.startsWith("jdbc:sqlite:")) {
			findings.add(new Finding("sqlite-state-on-kubernetes", Severity.RISK,
					"The state store uses SQLite on Kubernetes: its state is lost with the pod and not shared"
							+ " between replicas.",
					"Set clambake.state.url to a jdbc:postgresql:// URL shared by all replicas."));
		}
	}

	private void secretsInFiles(List<Finding> findings) {
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			// Config files (application.yml, clambake.toml) are origin-tracked maps; mounted
			// secrets (configtree:) and environment variables are not, and are the right places
			if (!(source instanceof OriginTrackedMapPropertySource files)) {
				continue;
			}
			for (String name : files.getPropertyNames()) {
				Origin origin = files.getOrigin(name);
				if (SecretMasking.isSecret(name) && origin instanceof TextResourceOrigin
						&& isLiteral(files.getProperty(name))) {
					findings.add(new Finding("secret-in-config-file", Severity.RISK,
							"Secret property " + name + " is written as a literal in " + origin + ".",
							"Reference an environment variable or a mounted secret instead, for example " + name
									+ ": ${" + name.toUpperCase(Locale.ROOT).replaceAll("[.\\-\\[\\]]", "_")
									+ "}, and rotate the exposed value."));
				}
			}
		}
	}

	private static boolean isLiteral(@Nullable Object value) {
		return value != null && !value.toString().isBlank() && !value.toString().contains("${");
	}

	private void gracefulShutdown(List<Finding> findings) {
		String shutdown = this.environment.getProperty("server.shutdown", "graceful");
		if (normalize(shutdown).equals("immediate")) {
			findings.add(new Finding("graceful-shutdown-disabled", Severity.RISK,
					"server.shutdown=immediate: in-flight requests are cut off on every rollout.",
					"Remove server.shutdown=immediate to keep Clambake's default, graceful."));
		}
	}

	private void retryWithoutCircuitBreaker(List<Finding> findings) {
		Map<String, Object> clients = this.binder
			.bind("clambake.http.clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String client : clients.keySet()) {
			String prefix = "clambake.http.clients." + client + ".";
			if (!"none".equalsIgnoreCase(this.environment.getProperty(prefix + "circuit-breaker"))) {
				continue;
			}
			String retry = this.environment.getProperty(prefix + "retry", client);
			int attempts = this.binder.bind("resilience4j.retry.instances." + retry + ".max-attempts", Integer.class)
				.orElseGet(() -> this.binder.bind("resilience4j.retry.configs.default.max-attempts", Integer.class)
					.orElse(3));
			boolean retriesSomething = this.binder
				.bind(prefix + "retry-methods", Bindable.listOf(String.class))
				.map((methods) -> !methods.isEmpty())
				.orElse(true);
			if (attempts > 1 && retriesSomething) {
				findings.add(new Finding("retry-without-circuit-breaker", Severity.WARNING,
						"HTTP client '" + client + "' retries (" + attempts + " attempts) with no circuit breaker:"
								+ " when the upstream struggles, every caller multiplies its load.",
						"Remove clambake.http.clients." + client + ".circuit-breaker=none, or set"
								+ " resilience4j.retry.instances." + retry + ".max-attempts=1."));
			}
		}
	}

	private Set<String> list(String name) {
		String value = this.environment.getProperty(name, "");
		return Arrays.stream(value.split(","))
			.map(String::trim)
			.filter((item) -> !item.isEmpty())
			.collect(Collectors.toSet());
	}

}
