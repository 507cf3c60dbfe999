package dev.clambake.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Clambake's metrics settings.
 */
@ConfigurationProperties("clambake.metrics")
public class ClambakeMetricsProperties {

	/**
	 * Whether Clambake's metrics capability is on.
	 */
	private boolean enabled = true;

	/**
	 * Histogram bucket boundaries (SLOs) for HTTP server and client request latency.
	 */
	private List<Duration> slo = new ArrayList<>(List.of(Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
			Duration.ofSeconds(5)));

	private final FastPathSwitches fastPaths = new FastPathSwitches();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<Duration> getSlo() {
		return this.slo;
	}

	public void setSlo(List<Duration> slo) {
		for (Duration boundary : slo) {
			Assert.isTrue(!boundary.isNegative() && !boundary.isZero(), "must be positive durations");
		}
		this.slo = slo;
	}

	public FastPathSwitches getFastPaths() {
		return this.fastPaths;
	}

	/**
	 * Metrics' fast paths: each skips work of Spring Boot's per request, relying on a
	 * non-public detail of Boot's; when the detail changes it falls back with a warning.
	 */
	public static class FastPathSwitches {

		/**
		 * Whether requests outside the actuator's paths skip its Spring MVC handler mappings (relies on those mappings living in Spring Boot's org.springframework.boot.webmvc.actuate.endpoint.web package).
		 */
		private boolean endpointMappingPrefilter = true;

		public boolean isEndpointMappingPrefilter() {
			return this.endpointMappingPrefilter;
		}

		public void setEndpointMappingPrefilter(boolean endpointMappingPrefilter) {
			this.endpointMappingPrefilter = endpointMappingPrefilter;
		}

	}

}
