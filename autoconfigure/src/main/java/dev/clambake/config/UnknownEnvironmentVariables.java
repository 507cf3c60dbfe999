package dev.clambake.config;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Finds the {@code CLAMBAKE_*} environment variables that match no Clambake property.
 */
public final class UnknownEnvironmentVariables {

	private UnknownEnvironmentVariables() {
	}

	/**
	 * Return the variables of the environment's system environment that match no property,
	 * each with the closest known variable.
	 * @param environment the environment
	 * @param classLoader the class loader whose jars describe the known properties
	 * @return the unknown variables, in the environment's order
	 */
	public static List<UnknownEnvironmentVariable> find(ConfigurableEnvironment environment,
			@Nullable ClassLoader classLoader) {
		// Reading the property catalog means parsing every jar's metadata: only when it can matter
		if (!hasClambakeVariables(environment)) {
			return List.of();
		}
		return find(ClambakePropertyCatalog.load(classLoader), environment);
	}

	/**
	 * Whether the environment's system environment holds any {@code CLAMBAKE_*} variable.
	 * @param environment the environment
	 * @return {@code true} if at least one variable has the prefix
	 */
	static boolean hasClambakeVariables(ConfigurableEnvironment environment) {
		if (environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME) instanceof EnumerablePropertySource<?> variables) {
			for (String variable : variables.getPropertyNames()) {
				if (variable.startsWith(ClambakePropertyCatalog.VARIABLE_PREFIX)) {
					return true;
				}
			}
		}
		return false;
	}

	static List<UnknownEnvironmentVariable> find(ClambakePropertyCatalog catalog, ConfigurableEnvironment environment) {
		List<UnknownEnvironmentVariable> unknown = new ArrayList<>();
		if (environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME) instanceof EnumerablePropertySource<?> variables) {
			for (String variable : variables.getPropertyNames()) {
				if (variable.startsWith(ClambakePropertyCatalog.VARIABLE_PREFIX)
						&& catalog.mapEntryName(variable) == null && !catalog.isKnown(variable)) {
					unknown.add(new UnknownEnvironmentVariable(variable, catalog.closest(variable)));
				}
			}
		}
		return unknown;
	}

}
