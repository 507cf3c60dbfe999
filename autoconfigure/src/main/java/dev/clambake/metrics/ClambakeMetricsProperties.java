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

}
