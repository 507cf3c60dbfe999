package dev.clambake.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Slow-operation detection and operation lifecycle events.
 */
@ConfigurationProperties("clambake.observability")
public class ClambakeObservabilityProperties {

	/**
	 * Operations slower than this log a warning and count as slow.
	 */
	private Duration slowThreshold = Duration.ofSeconds(1);

	/**
	 * Slow thresholds by operation name, for example 'http.server.requests'; they override the default.
	 */
	private Map<String, Duration> slowThresholds = new LinkedHashMap<>();

	/**
	 * Whether operation started, completed, failed and slow events are published as application events.
	 */
	private boolean events = true;

	public Duration getSlowThreshold() {
		return this.slowThreshold;
	}

	public void setSlowThreshold(Duration slowThreshold) {
		Assert.isTrue(!slowThreshold.isNegative(), "must not be negative");
		this.slowThreshold = slowThreshold;
	}

	public Map<String, Duration> getSlowThresholds() {
		return this.slowThresholds;
	}

	public void setSlowThresholds(Map<String, Duration> slowThresholds) {
		slowThresholds.values().forEach((threshold) -> Assert.isTrue(!threshold.isNegative(), "must not be negative"));
		this.slowThresholds = slowThresholds;
	}

	public boolean isEvents() {
		return this.events;
	}

	public void setEvents(boolean events) {
		this.events = events;
	}

}
