package dev.clambake.config;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Properties of the configuration layers themselves.
 */
@ConfigurationProperties("clambake.config")
public class ClambakeConfigProperties {

	/**
	 * Directory holding clambake.toml and .clambakerc, or the path of one such file; the
	 * working directory when not set.
	 */
	private @Nullable String location;

	/**
	 * Whether a CLAMBAKE_* environment variable that matches no property stops start-up
	 * instead of logging a warning.
	 */
	private boolean failOnUnknownEnv = false;

	public @Nullable String getLocation() {
		return this.location;
	}

	public void setLocation(@Nullable String location) {
		this.location = location;
	}

	public boolean isFailOnUnknownEnv() {
		return this.failOnUnknownEnv;
	}

	public void setFailOnUnknownEnv(boolean failOnUnknownEnv) {
		this.failOnUnknownEnv = failOnUnknownEnv;
	}

}
