package dev.clambake.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * The {@code clambake.features.*} flags, each with the source of its value. A flag that is
 * not set is off.
 */
public class FeatureFlags {

	private final Map<String, FeatureFlag> flags;

	/**
	 * Create the flags from bound values, looking up where each was set.
	 * @param values the flags by name
	 * @param environment the environment the values were bound from
	 */
	public FeatureFlags(Map<String, Boolean> values, Environment environment) {
		Map<String, FeatureFlag> flags = new TreeMap<>();
		values.forEach((name, enabled) -> flags.put(name,
				new FeatureFlag(name, Boolean.TRUE.equals(enabled), origin(environment, name))));
		this.flags = Collections.unmodifiableMap(flags);
	}

	/**
	 * Whether the named flag is on.
	 * @param name the flag's name, for example {@code new-checkout}
	 * @return {@code true} if the flag is set and on
	 */
	public boolean isEnabled(String name) {
		FeatureFlag flag = this.flags.get(name);
		return flag != null && flag.enabled();
	}

	/**
	 * Return every flag that is set, sorted by name.
	 * @return the flags
	 */
	public List<FeatureFlag> list() {
		return new ArrayList<>(this.flags.values());
	}

	private static String origin(Environment environment, String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.adapt("clambake.features." + name, '.');
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			ConfigurationProperty value = source.getConfigurationProperty(propertyName);
			if (value != null) {
				return (value.getOrigin() != null) ? value.getOrigin().toString() : source.toString();
			}
		}
		return "unknown";
	}

}
