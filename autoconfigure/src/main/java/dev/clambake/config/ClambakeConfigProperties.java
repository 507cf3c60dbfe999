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

	private final FastPathSwitches fastPaths = new FastPathSwitches();

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

	public FastPathSwitches getFastPaths() {
		return this.fastPaths;
	}

	/**
	 * Start-up fast paths of the configuration capability.
	 */
	public static class FastPathSwitches {

		/**
		 * Whether Micrometer's and Resilience4j's annotation aspects skip, at start-up, classes that carry none of their annotations (relies on the aspects' class names and the annotations they refer to).
		 */
		private boolean annotationAspectPrefilter = true;

		public boolean isAnnotationAspectPrefilter() {
			return this.annotationAspectPrefilter;
		}

		public void setAnnotationAspectPrefilter(boolean annotationAspectPrefilter) {
			this.annotationAspectPrefilter = annotationAspectPrefilter;
		}

	}

}
