package dev.clambake.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Completes what Spring Boot's relaxed binding does for {@code CLAMBAKE_*} environment
 * variables. Boot already binds {@code CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV} to
 * {@code clambake.config.fail-on-unknown-env}; it lacks two things added here:
 * <ul>
 * <li>map keys: {@code CLAMBAKE_FEATURES_NEW_CHECKOUT} sets {@code clambake.features.new-checkout}
 * (Boot would make the key {@code new.checkout});</li>
 * <li>typos: a variable that matches no property logs a warning naming the closest known
 * variable, or stops start-up when {@code clambake.config.fail-on-unknown-env} is set.</li>
 * </ul>
 */
public class ClambakeEnvironmentVariablesPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source holding map entries taken from environment variables.
	 */
	public static final String NAME = "clambakeEnvironmentVariables";

	/**
	 * Runs after the configuration files, which may set {@code clambake.config.fail-on-unknown-env}.
	 */
	public static final int ORDER = ClambakeConfigFileEnvironmentPostProcessor.ORDER + 1;

	private final Log logger;

	public ClambakeEnvironmentVariablesPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ClambakeEnvironmentVariablesPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources sources = environment.getPropertySources();
		String systemEnvironmentName = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
		if (sources.contains(NAME)
				|| !(sources.get(systemEnvironmentName) instanceof EnumerablePropertySource<?> systemEnvironment)
				|| !UnknownEnvironmentVariables.hasClambakeVariables(environment)) {
			return;
		}
		ClambakePropertyCatalog catalog = ClambakePropertyCatalog.load(application.getClassLoader());
		Map<String, Object> mapEntries = new LinkedHashMap<>();
		for (String variable : systemEnvironment.getPropertyNames()) {
			if (!variable.startsWith(ClambakePropertyCatalog.VARIABLE_PREFIX)) {
				continue;
			}
			String mapEntry = catalog.mapEntryName(variable);
			if (mapEntry != null) {
				mapEntries.put(mapEntry, OriginTrackedValue.of(systemEnvironment.getProperty(variable),
						new SystemEnvironmentOrigin(variable)));
			}
		}
		if (!mapEntries.isEmpty()) {
			Map<String, Object> remaining = new LinkedHashMap<>();
			for (String variable : systemEnvironment.getPropertyNames()) {
				if (catalog.mapEntryName(variable) == null) {
					remaining.put(variable, systemEnvironment.getProperty(variable));
				}
			}
			sources.replace(systemEnvironmentName, new FilteredSystemEnvironmentPropertySource(systemEnvironment,
					remaining));
			sources.addBefore(systemEnvironmentName, new OriginTrackedMapPropertySource(NAME, mapEntries, true));
		}
		reportUnknown(environment, UnknownEnvironmentVariables.find(catalog, environment));
	}

	private void reportUnknown(ConfigurableEnvironment environment, List<UnknownEnvironmentVariable> unknown) {
		if (unknown.isEmpty()) {
			return;
		}
		boolean failOnUnknown = Binder.get(environment)
			.bind("clambake.config.fail-on-unknown-env", Boolean.class)
			.orElse(false);
		if (failOnUnknown) {
			throw new UnknownEnvironmentVariablesException(unknown);
		}
		for (UnknownEnvironmentVariable variable : unknown) {
			this.logger.warn(variable.describe() + "; it is ignored");
		}
	}

	/**
	 * The system environment without the variables moved to {@value #NAME}. Keeps Boot's
	 * environment-variable name mapping (it is a {@link SystemEnvironmentPropertySource} of the
	 * same name) and the variables' origins.
	 */
	static class FilteredSystemEnvironmentPropertySource extends SystemEnvironmentPropertySource
			implements OriginLookup<String>, PropertySourceInfo {

		private final @Nullable String prefix;

		FilteredSystemEnvironmentPropertySource(PropertySource<?> original, Map<String, Object> remaining) {
			super(original.getName(), Map.copyOf(remaining));
			this.prefix = (original instanceof PropertySourceInfo info) ? info.getPrefix() : null;
		}

		@Override
		public @Nullable Origin getOrigin(String key) {
			String property = resolvePropertyName(key);
			return super.containsProperty(property) ? new SystemEnvironmentOrigin(property) : null;
		}

		@Override
		public @Nullable String getPrefix() {
			return this.prefix;
		}

		@Override
		public boolean isImmutable() {
			return true;
		}

	}

}
