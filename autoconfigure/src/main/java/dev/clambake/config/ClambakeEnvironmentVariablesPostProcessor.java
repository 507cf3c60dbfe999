package dev.clambake.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

	private static final String VARIABLE_PREFIX = "CLAMBAKE_";

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
				|| !(sources.get(systemEnvironmentName) instanceof EnumerablePropertySource<?> systemEnvironment)) {
			return;
		}
		ClambakePropertyCatalog catalog = ClambakePropertyCatalog.load(application.getClassLoader());
		Map<String, Object> mapEntries = new LinkedHashMap<>();
		List<UnknownEnvironmentVariable> unknown = new ArrayList<>();
		for (String variable : systemEnvironment.getPropertyNames()) {
			if (!variable.startsWith(VARIABLE_PREFIX)) {
				continue;
			}
			String mapEntry = mapEntryName(catalog, variable);
			if (mapEntry != null) {
				mapEntries.put(mapEntry, OriginTrackedValue.of(systemEnvironment.getProperty(variable),
						new SystemEnvironmentOrigin(variable)));
			}
			else if (!isKnown(catalog, variable)) {
				unknown.add(new UnknownEnvironmentVariable(variable, closest(catalog, variable)));
			}
		}
		if (!mapEntries.isEmpty()) {
			Map<String, Object> remaining = new LinkedHashMap<>();
			for (String variable : systemEnvironment.getPropertyNames()) {
				if (mapEntryName(catalog, variable) == null) {
					remaining.put(variable, systemEnvironment.getProperty(variable));
				}
			}
			sources.replace(systemEnvironmentName, new FilteredSystemEnvironmentPropertySource(systemEnvironment,
					remaining));
			sources.addBefore(systemEnvironmentName, new OriginTrackedMapPropertySource(NAME, mapEntries, true));
		}
		reportUnknown(environment, unknown);
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
	 * Return the property a variable sets when it names an entry of a map of single values,
	 * the rest of its name being the key.
	 */
	private static @Nullable String mapEntryName(ClambakePropertyCatalog catalog, String variable) {
		for (String property : catalog.properties().keySet()) {
			String prefix = ClambakePropertyCatalog.environmentVariable(property) + "_";
			if (catalog.isScalarMap(property) && variable.startsWith(prefix) && variable.length() > prefix.length()) {
				String key = variable.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
				return property + "." + key;
			}
		}
		return null;
	}

	private static boolean isKnown(ClambakePropertyCatalog catalog, String variable) {
		for (String property : catalog.properties().keySet()) {
			String known = ClambakePropertyCatalog.environmentVariable(property);
			// Boot also binds the form without dashes: CLAMBAKE_CONFIG_FAILONUNKNOWNENV
			String compact = property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
			if (variable.equals(known) || variable.equals(compact)) {
				return true;
			}
			if ((catalog.isCollection(property) && variable.matches("\\Q" + known + "\\E_[0-9]+(_.*)?"))
					|| (catalog.isMap(property) && variable.startsWith(known + "_"))) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String closest(ClambakePropertyCatalog catalog, String variable) {
		String closest = null;
		int best = Integer.MAX_VALUE;
		for (String property : catalog.properties().keySet()) {
			String candidate = ClambakePropertyCatalog.environmentVariable(property);
			if (catalog.isMap(property)) {
				// Compare with the same key under the map, so CLAMBAKE_FEATUERS_X suggests CLAMBAKE_FEATURES_X
				candidate = candidate + "_" + keyAfter(variable, candidate.split("_").length);
			}
			int distance = distance(variable, candidate);
			if (distance < best) {
				best = distance;
				closest = candidate;
			}
		}
		return closest;
	}

	private static String keyAfter(String variable, int segments) {
		String[] parts = variable.split("_", segments + 1);
		return (parts.length > segments) ? parts[segments] : "NAME";
	}

	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
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
