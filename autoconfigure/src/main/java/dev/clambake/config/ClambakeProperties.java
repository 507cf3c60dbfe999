package dev.clambake.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Properties shared by every capability.
 */
@ConfigurationProperties("clambake")
public class ClambakeProperties {

	/**
	 * Where the service runs: development, testing, staging or production.
	 */
	private ClambakeEnvironment environment = ClambakeEnvironment.DEVELOPMENT;

	/**
	 * Feature flags by name; CLAMBAKE_FEATURES_NEW_CHECKOUT=true sets 'new-checkout'.
	 */
	private Map<String, Boolean> features = new LinkedHashMap<>();

	public ClambakeEnvironment getEnvironment() {
		return this.environment;
	}

	public void setEnvironment(ClambakeEnvironment environment) {
		this.environment = environment;
	}

	public Map<String, Boolean> getFeatures() {
		return this.features;
	}

	public void setFeatures(Map<String, Boolean> features) {
		this.features = features;
	}

}
