package dev.clambake.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.ClambakeDefaultsPrecedenceListener;
import dev.clambake.config.ClambakeEnvironment;
import dev.clambake.config.ClambakeVersion;
import dev.clambake.config.FastPath;
import dev.clambake.config.FastPaths;
import dev.clambake.config.SecretMasking;
import dev.clambake.config.UnknownEnvironmentVariables;
import dev.clambake.health.ClambakeHealthProperties;
import dev.clambake.health.ClambakeReadinessMember;
import dev.clambake.health.ClambakeWarmUp;
import dev.clambake.health.Criticality;
import dev.clambake.lease.Leases;

import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds the production-readiness report from the running context: capabilities from the
 * {@link ClambakeCapability} beans and the condition evaluation report, settings and findings
 * from the environment.
 */
public class ProductionReadinessReporter {

	/**
	 * The settings the report shows with their sources.
	 */
	static final List<String> KEY_SETTINGS = List.of("clambake.environment",
			"management.endpoints.web.exposure.include", "management.server.port",
			"management.endpoint.health.show-details", "management.tracing.sampling.probability",
			"management.opentelemetry.tracing.export.otlp.endpoint", "server.shutdown",
			"spring.lifecycle.timeout-per-shutdown-phase", "clambake.shutdown.drain-delay", "clambake.health.timeout",
			"clambake.logging.format", "clambake.state.enabled", "clambake.state.url", "clambake.lease.holder",
			"clambake.report.fail-on");

	static final String FAST_PATH_FELL_BACK = "fast-path-fell-back";

	static final String METRIC_CARDINALITY_OVERFLOW = "metric-cardinality-overflow";

	private static final String METER_FILTER = "io.micrometer.core.instrument.config.MeterFilter";

	/**
	 * What the absence of a setting that has no default means.
	 */
	private static final Map<String, String> WHEN_NOT_SET = Map.of("management.server.port",
			"same as server.port");

	private final ConfigurableApplicationContext context;

	private volatile @Nullable PropertyDefaults defaults;

	public ProductionReadinessReporter(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Build the report as the context stands now.
	 * @return the report
	 */
	public ClambakeReport report() {
		ConfigurableEnvironment environment = this.context.getEnvironment();
		return new ClambakeReport(ClambakeVersion.get(),
				ClambakeEnvironment.of(environment).value(), capabilities(), settings(environment), fastPaths(),
				findings(), probes(), leases());
	}

	private List<LeaseStatus> leases() {
		Leases leases = this.context.getBeanProvider(Leases.class).getIfAvailable();
		if (leases == null) {
			return List.of();
		}
		try {
			return leases.list()
				.stream()
				.map((lease) -> new LeaseStatus(lease.name(), lease.isHeld(), lease.holder(), lease.token(),
						lease.expiresAt()))
				.toList();
		}
		catch (RuntimeException ex) {
			// The store's own time-outs bound the read; a store that is down shows in health
			return List.of();
		}
	}

	/**
	 * Return the findings about the current configuration.
	 * @return the findings, risks first
	 */
	public List<Finding> findings() {
		ConfigurableEnvironment environment = this.context.getEnvironment();
		List<Finding> findings = new ArrayList<>(new ReadinessChecks(environment)
			.findings(UnknownEnvironmentVariables.find(environment, this.context.getClassLoader())));
		for (FastPath path : fastPaths()) {
			if (path.state() == FastPath.State.FELL_BACK) {
				findings.add(new Finding(FAST_PATH_FELL_BACK, Severity.WARNING,
						"Fast path '" + path.name() + "' fell back to the public path: " + path.detail(),
						"Use the Spring Boot, Micrometer or OpenTelemetry version Clambake supports, or set "
								+ path.property() + "=false."));
			}
		}
		if (ClassUtils.isPresent(METER_FILTER, this.context.getClassLoader())) {
			CardinalityFindings.add(this.context, findings);
		}
		findings.sort((a, b) -> b.severity().compareTo(a.severity()));
		return findings;
	}

	private @Nullable Probes probes() {
		ClambakeHealthProperties health = this.context.getBeanProvider(ClambakeHealthProperties.class).getIfAvailable();
		if (health == null) {
			return null;
		}
		Set<String> critical = new TreeSet<>();
		this.context.getBeanProvider(ClambakeReadinessMember.class)
			.forEach((member) -> critical.add(member.contributorName()));
		Set<String> optional = new TreeSet<>();
		health.getComponents().forEach((name, component) -> {
			if (component.getCriticality() == Criticality.CRITICAL) {
				critical.add(name);
			}
			else if (component.getCriticality() == Criticality.OPTIONAL) {
				optional.add(name);
			}
		});
		ClambakeWarmUp warmUp = this.context.getBeanProvider(ClambakeWarmUp.class).getIfAvailable();
		return new Probes(List.copyOf(critical), List.copyOf(optional), health.getLiveness().isDeadlockDetection(),
				(warmUp != null) ? warmUp.outcome().describe() : "off");
	}

	private List<FastPath> fastPaths() {
		FastPaths fastPaths = this.context.getBeanProvider(FastPaths.class).getIfAvailable();
		return (fastPaths != null) ? fastPaths.list() : List.of();
	}

	private List<CapabilityStatus> capabilities() {
		Set<String> active = this.context.getBeansOfType(ClambakeCapability.class)
			.values()
			.stream()
			.map(ClambakeCapability::name)
			.collect(Collectors.toSet());
		ConditionEvaluationReport conditions = ConditionEvaluationReport.get(this.context.getBeanFactory());
		List<CapabilityStatus> statuses = new ArrayList<>();
		for (String name : ClambakeCapability.NAMES) {
			boolean on = active.contains(name);
			statuses.add(new CapabilityStatus(name, on, on ? "on" : whyOff(conditions, name)));
		}
		return statuses;
	}

	private static String whyOff(ConditionEvaluationReport conditions, String capability) {
		String autoConfiguration = "dev.clambake." + capability + ".Clambake" + StringUtils.capitalize(capability)
				+ "AutoConfiguration";
		ConditionAndOutcomes outcomes = conditions.getConditionAndOutcomesBySource().get(autoConfiguration);
		if (outcomes != null) {
			for (ConditionAndOutcome outcome : outcomes) {
				if (!outcome.getOutcome().isMatch()) {
					return outcome.getOutcome().getMessage();
				}
			}
		}
		return "not installed";
	}

	private List<Setting> settings(ConfigurableEnvironment environment) {
		PropertyDefaults defaults = defaults();
		List<Setting> settings = new ArrayList<>();
		for (String name : KEY_SETTINGS) {
			settings.add(setting(environment, defaults, name));
		}
		return settings;
	}

	private PropertyDefaults defaults() {
		PropertyDefaults defaults = this.defaults;
		if (defaults == null) {
			// The class path does not change: read the metadata once
			defaults = PropertyDefaults.load(this.context.getClassLoader(), KEY_SETTINGS);
			this.defaults = defaults;
		}
		return defaults;
	}

	private static Setting setting(ConfigurableEnvironment environment, PropertyDefaults defaults, String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(propertyName);
			if (property != null) {
				String value = mask(name, environment.getProperty(name));
				return new Setting(name, value, sourceKind(source.getUnderlyingSource()), origin(property.getOrigin()));
			}
		}
		PropertyDefaults.PropertyDefault declared = defaults.get(name);
		if (declared != null) {
			String source = name.startsWith("clambake.") ? "clambake default" : "spring boot default";
			return new Setting(name, mask(name, declared.value()), source, declared.sourceType());
		}
		return new Setting(name, WHEN_NOT_SET.get(name), "not set", null);
	}

	private static @Nullable String origin(@Nullable Origin origin) {
		Origin exact = (origin instanceof PropertySourceOrigin source && source.getOrigin() != null)
				? source.getOrigin() : origin;
		if (exact instanceof SystemEnvironmentOrigin variable) {
			return variable.getProperty();
		}
		return (exact != null) ? exact.toString() : null;
	}

	private static String sourceKind(@Nullable Object underlying) {
		String name = (underlying instanceof PropertySource<?> source) ? source.getName() : String.valueOf(underlying);
		if (ClambakeDefaultsPrecedenceListener.isClambakeDefaults(name)) {
			return "clambake default";
		}
		return switch (name) {
			case "commandLineArgs" -> "command line";
			case "systemEnvironment", "clambakeEnvironmentVariables" -> "environment variable";
			case "systemProperties" -> "system property";
			// Spring Boot's config data and Clambake's TOML files
			default -> (name.startsWith("Config resource") || name.startsWith("clambake config file")) ? "file" : name;
		};
	}

	/**
	 * Mask secrets, including credentials written inside a URL.
	 */
	static @Nullable String mask(String name, @Nullable String value) {
		return (value != null) ? SecretMasking.mask(name, value) : null;
	}

}
