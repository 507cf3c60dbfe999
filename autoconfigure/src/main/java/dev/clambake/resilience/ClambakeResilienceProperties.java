package dev.clambake.resilience;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switch of the resilience capability. Resilience4j itself is configured in its own
 * {@code resilience4j.*} namespace, where Clambake's defaults live as {@code configs.default}.
 */
@ConfigurationProperties("clambake.resilience")
public class ClambakeResilienceProperties {

	/**
	 * Whether Clambake wires named HTTP clients through Resilience4j and records rate limits.
	 */
	private boolean enabled = true;

	/**
	 * Whether the clients of HTTP service groups (declared with @ImportHttpServices) are guarded like
	 * named clients of the group's name.
	 */
	private boolean httpServiceGroups = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isHttpServiceGroups() {
		return this.httpServiceGroups;
	}

	public void setHttpServiceGroups(boolean httpServiceGroups) {
		this.httpServiceGroups = httpServiceGroups;
	}

}
