package dev.clambake.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
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
	 * Slow thresholds by operation name, for example 'slow-thresholds.http.server.requests=2s'; they override the default.
	 */
	// String values: a Map<String, Duration> would split keys at their dots
	private Map<String, String> slowThresholds = new LinkedHashMap<>();

	/**
	 * Whether operation started, completed, failed and slow events are published as application events.
	 */
	private boolean events = true;

	/**
	 * Whether Spring MVC's http.server.requests is recorded without an Observation per request when only Spring Boot's and Clambake's handlers handle it: the same timer, span and ids, but no current Observation during the request (ObservationRegistry#getCurrentObservation() is null), so it is off unless chosen.
	 */
	private boolean directServerRequests = false;

	public Duration getSlowThreshold() {
		return this.slowThreshold;
	}

	public void setSlowThreshold(Duration slowThreshold) {
		Assert.isTrue(!slowThreshold.isNegative(), "must not be negative");
		this.slowThreshold = slowThreshold;
	}

	public Map<String, String> getSlowThresholds() {
		return this.slowThresholds;
	}

	public void setSlowThresholds(Map<String, String> slowThresholds) {
		slowThresholds.values().forEach(ClambakeObservabilityProperties::parse);
		this.slowThresholds = slowThresholds;
	}

	/**
	 * Return the per-operation slow thresholds as durations.
	 * @return the thresholds by operation name
	 */
	public Map<String, Duration> slowThresholdDurations() {
		Map<String, Duration> durations = new LinkedHashMap<>();
		this.slowThresholds.forEach((name, value) -> durations.put(name, parse(value)));
		return durations;
	}

	private static Duration parse(String value) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("must be a duration such as 500ms or 2s");
		}
		Assert.isTrue(!duration.isNegative(), "must not be negative");
		return duration;
	}

	public boolean isEvents() {
		return this.events;
	}

	public void setEvents(boolean events) {
		this.events = events;
	}

	public boolean isDirectServerRequests() {
		return this.directServerRequests;
	}

	public void setDirectServerRequests(boolean directServerRequests) {
		this.directServerRequests = directServerRequests;
	}

}
