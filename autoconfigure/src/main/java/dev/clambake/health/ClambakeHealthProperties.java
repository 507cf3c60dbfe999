package dev.clambake.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Properties of Clambake's time-boxed health checks.
 */
@ConfigurationProperties("clambake.health")
public class ClambakeHealthProperties {

	/**
	 * Whether every health contributor is time-boxed and run in parallel.
	 */
	private boolean enabled = true;

	/**
	 * How long a health contributor may take before it is reported as timed out.
	 */
	private Duration timeout = Duration.ofSeconds(2);

	/**
	 * Time box per contributor name, overriding clambake.health.timeout; a nested
	 * contributor is named with slashes, in brackets: timeouts.[db/primary].
	 */
	private Map<String, Duration> timeouts = new LinkedHashMap<>();

	/**
	 * How long a result is reused; above zero, results are refreshed in the background and
	 * reads return the latest result at once, while zero runs the check on every read.
	 */
	private Duration cacheTtl = Duration.ZERO;

	/**
	 * Status reported by a contributor that exceeds its time box.
	 */
	private String timeoutStatus = "DOWN";

	/**
	 * Largest number of threads running health checks at once.
	 */
	private int maxThreads = 8;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, "must be positive");
		this.timeout = timeout;
	}

	public Map<String, Duration> getTimeouts() {
		return this.timeouts;
	}

	public void setTimeouts(Map<String, Duration> timeouts) {
		timeouts.forEach((name, value) -> Assert.isTrue(value.compareTo(Duration.ZERO) > 0,
				() -> "timeout for '" + name + "' must be positive"));
		this.timeouts = new LinkedHashMap<>(timeouts);
	}

	public Duration getCacheTtl() {
		return this.cacheTtl;
	}

	public void setCacheTtl(Duration cacheTtl) {
		Assert.isTrue(!cacheTtl.isNegative(), "must not be negative");
		this.cacheTtl = cacheTtl;
	}

	public String getTimeoutStatus() {
		return this.timeoutStatus;
	}

	public void setTimeoutStatus(String timeoutStatus) {
		Assert.hasText(timeoutStatus, "must not be empty");
		this.timeoutStatus = timeoutStatus;
	}

	public int getMaxThreads() {
		return this.maxThreads;
	}

	public void setMaxThreads(int maxThreads) {
		Assert.isTrue(maxThreads >= 1 && maxThreads <= 256, "must be between 1 and 256");
		this.maxThreads = maxThreads;
	}

	/**
	 * Return the time box of the named contributor.
	 * @param name the contributor's name, nested names joined with slashes
	 * @return its time box
	 */
	public Duration timeoutFor(String name) {
		return this.timeouts.getOrDefault(name, this.timeout);
	}

}
