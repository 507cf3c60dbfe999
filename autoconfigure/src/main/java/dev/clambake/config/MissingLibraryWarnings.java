package dev.clambake.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Logs one WARN for each capability that is off because a library it needs is missing while
 * the application sets one of its properties, naming the properties, the missing classes and
 * the Maven coordinates that provide them. A capability the application switches on
 * explicitly ({@code clambake.<capability>.enabled=true}) without its libraries stops start-up
 * instead ({@link CapabilityLibrariesMissingException}). A capability switched off with
 * {@code clambake.<capability>.enabled=false} is the application's choice and is not reported;
 * nor are Clambake's own defaults counted as properties the application set.
 */
final class MissingLibraryWarnings implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(MissingLibraryWarnings.class);

	/**
	 * The capabilities whose auto-configuration is conditional on classes, with those classes
	 * (the ones its {@code @ConditionalOnClass} names), by name so that none is loaded here.
	 */
	static final List<Capability> CAPABILITIES = List.of(
			new Capability("correlation", true, List.of("clambake.correlation"),
					List.of(new Library("org.slf4j.MDC", "org.slf4j:slf4j-api"))),
			new Capability("metrics", true, List.of("clambake.metrics", "clambake.observability"),
					List.of(new Library("io.micrometer.core.instrument.MeterRegistry", "io.micrometer:micrometer-core"),
							new Library("org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
									"org.springframework.boot:spring-boot-micrometer-metrics"))),
			new Capability("tracing", true, List.of("clambake.tracing"),
					List.of(new Library("io.micrometer.tracing.Tracer", "io.micrometer:micrometer-tracing"),
							new Library("io.opentelemetry.sdk.trace.SpanProcessor",
									"io.opentelemetry:opentelemetry-sdk-trace"))),
			new Capability("health", true, List.of("clambake.health"),
					List.of(new Library("org.springframework.boot.health.registry.HealthContributorRegistry",
							"org.springframework.boot:spring-boot-health"))),
			new Capability("resilience", true, List.of("clambake.resilience", "clambake.http"),
					List.of(new Library("io.github.resilience4j.circuitbreaker.CircuitBreaker",
							"io.github.resilience4j:resilience4j-circuitbreaker"),
							new Library("io.github.resilience4j.retry.Retry", "io.github.resilience4j:resilience4j-retry"),
							new Library("io.github.resilience4j.timelimiter.TimeLimiter",
									"io.github.resilience4j:resilience4j-timelimiter"),
							new Library("io.github.resilience4j.bulkhead.Bulkhead",
									"io.github.resilience4j:resilience4j-bulkhead"))),
			new Capability("state", false, List.of("clambake.state"),
					List.of(new Library("com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP"),
							new Library("org.flywaydb.core.Flyway", "org.flywaydb:flyway-core"),
							new Library("tools.jackson.core.json.JsonFactory", "tools.jackson.core:jackson-core"))));

	private final Environment environment;

	private final @Nullable ClassLoader classLoader;

	private final ObjectProvider<ClambakeCapability> capabilities;

	MissingLibraryWarnings(Environment environment, @Nullable ClassLoader classLoader,
			ObjectProvider<ClambakeCapability> capabilities) {
		this.environment = environment;
		this.classLoader = classLoader;
		this.capabilities = capabilities;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> capabilities = new ArrayList<>();
		Set<String> missing = new LinkedHashSet<>();
		for (Capability capability : switchedOnWithoutLibraries()) {
			capabilities.add(capability.name());
			missing(capability).forEach((library) -> missing.add(library.className() + " (" + library.coordinates() + ")"));
		}
		if (!capabilities.isEmpty()) {
			throw new CapabilityLibrariesMissingException(capabilities, List.copyOf(missing));
		}
		warnings().forEach(logger::warn);
	}

	/**
	 * Return the capabilities the application switches on explicitly (an
	 * {@code enabled=true} not from Clambake's defaults) that are off for want of a library.
	 * The state store is left to its own, more specific check ({@code StateLibrariesMissingException}).
	 * @return those capabilities, in the order of {@link #CAPABILITIES}
	 */
	List<Capability> switchedOnWithoutLibraries() {
		Set<String> active = this.capabilities.stream().map(ClambakeCapability::name).collect(Collectors.toSet());
		List<Capability> result = new ArrayList<>();
		for (Capability capability : CAPABILITIES) {
			if (capability.name().equals("state") || active.contains(capability.name())) {
				continue;
			}
			String switchName = "clambake." + capability.name() + ".enabled";
			String enabled = Binder.get(this.environment).bind(switchName, String.class).orElse(null);
			if (enabled != null && "true".equalsIgnoreCase(enabled.trim()) && isSetExplicitly(switchName)
					&& !missing(capability).isEmpty()) {
				result.add(capability);
			}
		}
		return result;
	}

	private boolean isSetExplicitly(String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& ClambakeDefaultsPrecedenceListener.isClambakeDefaults(propertySource.getName())) {
				continue;
			}
			if (source.getConfigurationProperty(propertyName) != null) {
				return true;
			}
		}
		return false;
	}

	private List<Library> missing(Capability capability) {
		return capability.libraries()
			.stream()
			.filter((library) -> !ClassUtils.isPresent(library.className(), this.classLoader))
			.toList();
	}

	/**
	 * Return the warnings, one for each capability off for want of a library whose properties
	 * the application sets.
	 * @return the warnings, in the order of {@link #CAPABILITIES}
	 */
	List<String> warnings() {
		Set<String> active = this.capabilities.stream().map(ClambakeCapability::name).collect(Collectors.toSet());
		Binder binder = Binder.get(this.environment);
		List<String> warnings = new ArrayList<>();
		for (Capability capability : CAPABILITIES) {
			if (active.contains(capability.name()) || !switchedOn(binder, capability)) {
				continue;
			}
			List<Library> missing = missing(capability);
			if (missing.isEmpty()) {
				continue;
			}
			Set<String> properties = propertiesSet(capability.prefixes());
			if (!properties.isEmpty()) {
				warnings.add(message(capability, missing, properties));
			}
		}
		return warnings;
	}

	private static boolean switchedOn(Binder binder, Capability capability) {
		String enabled = binder.bind("clambake." + capability.name() + ".enabled", String.class).orElse(null);
		return (enabled != null) ? !"false".equalsIgnoreCase(enabled.trim()) : capability.onByDefault();
	}

	private Set<String> propertiesSet(List<String> prefixes) {
		List<ConfigurationPropertyName> ancestors = prefixes.stream().map(ConfigurationPropertyName::of).toList();
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& ClambakeDefaultsPrecedenceListener.isClambakeDefaults(propertySource.getName())) {
				continue;
			}
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter((name) -> ancestors.stream().anyMatch((ancestor) -> ancestor.isAncestorOf(name)))
					.forEach((name) -> names.add(describe(source, name)));
			}
		}
		return names;
	}

	// An environment variable is named as it was written: Spring Boot maps
	// CLAMBAKE_TRACING_LOG_SPANS to clambake.tracing.log.spans, which is not the property it sets
	private static String describe(ConfigurationPropertySource source, ConfigurationPropertyName name) {
		ConfigurationProperty property = source.getConfigurationProperty(name);
		Origin origin = (property != null) ? property.getOrigin() : null;
		while (origin instanceof PropertySourceOrigin wrapper && wrapper.getOrigin() != null) {
			origin = wrapper.getOrigin();
		}
		if (origin instanceof SystemEnvironmentOrigin variable) {
			return "environment variable " + variable.getProperty();
		}
		return name.toString();
	}

	private static String message(Capability capability, List<Library> missing, Set<String> properties) {
		String classes = missing.stream()
			.map((library) -> library.className() + " (" + library.coordinates() + ")")
			.collect(Collectors.joining(", "));
		boolean oneClass = missing.size() == 1;
		boolean oneProperty = properties.size() == 1;
		return "Clambake " + capability.name() + " is off because " + (oneClass ? "the class " : "the classes ")
				+ classes + (oneClass ? " is" : " are") + " not on the class path, so "
				+ String.join(", ", properties) + (oneProperty ? " has" : " have") + " no effect. Add "
				+ (oneClass ? "that library" : "those libraries") + ", or remove "
				+ (oneProperty ? "the property" : "the properties") + ".";
	}

	/**
	 * A capability whose auto-configuration needs classes.
	 *
	 * @param name the capability's name, one of {@link ClambakeCapability#NAMES}
	 * @param onByDefault whether the capability is on when {@code clambake.<name>.enabled} is not set
	 * @param prefixes the prefixes of its properties
	 * @param libraries the libraries its auto-configuration is conditional on
	 */
	record Capability(String name, boolean onByDefault, List<String> prefixes, List<Library> libraries) {

	}

	/**
	 * A library, known by a class of it and the Maven coordinates that provide it.
	 *
	 * @param className a class the library holds
	 * @param coordinates {@code groupId:artifactId}
	 */
	record Library(String className, String coordinates) {

	}

}
