package dev.clambake.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/**
	 * The cap on each meter's distinct series.
	 */
	private final Cardinality cardinality = new Cardinality();

	public Cardinality getCardinality() {
		return this.cardinality;
	}

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

	/**
	 * The cardinality guard: a cap on the distinct series (tag sets) of each meter name.
	 */
	public static class Cardinality {

		/**
		 * Whether each meter's distinct series are capped, further tag values going to an
		 * overflow series.
		 */
		private boolean enabled = true;

		/**
		 * Distinct series each meter name may have before further tag values go to its
		 * overflow series.
		 */
		private int maxSeries = 1000;

		/**
		 * Caps of particular meter names, overriding max-series, for example
		 * 'max-series-by-meter.http.server.requests=5000'.
		 */
		private Map<String, Integer> maxSeriesByMeter = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxSeries() {
			return this.maxSeries;
		}

		public void setMaxSeries(int maxSeries) {
			Assert.isTrue(maxSeries >= 1, "must be at least 1");
			this.maxSeries = maxSeries;
		}

		public Map<String, Integer> getMaxSeriesByMeter() {
			return this.maxSeriesByMeter;
		}

		public void setMaxSeriesByMeter(Map<String, Integer> maxSeriesByMeter) {
			maxSeriesByMeter.forEach((name, max) -> Assert.isTrue(max != null && max >= 1,
					() -> "each must be at least 1 (" + name + "=" + max + ")"));
			this.maxSeriesByMeter = maxSeriesByMeter;
		}

	}

}
