package dev.clambake.shutdown;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Properties of Clambake's graceful shutdown.
 */
@ConfigurationProperties("clambake.shutdown")
public class ClambakeShutdownProperties {

	/**
	 * Whether Clambake drains, runs shutdown hooks and waits for tracked work on shutdown.
	 */
	private boolean enabled = true;

	/**
	 * How long the server keeps serving normally after readiness flips to REFUSING_TRAFFIC, so
	 * load balancers stop routing before the web server stops accepting; 5s on Kubernetes.
	 */
	private Duration drainDelay = Duration.ofSeconds(0);

	/**
	 * How long shutdown waits for tracked in-flight work before abandoning it.
	 */
	private Duration workTimeout = Duration.ofSeconds(5);

	/**
	 * How long a shutdown hook may run before it is abandoned, unless the hook sets its own.
	 */
	private Duration hookTimeout = Duration.ofSeconds(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getDrainDelay() {
		return this.drainDelay;
	}

	public void setDrainDelay(Duration drainDelay) {
		Assert.isTrue(!drainDelay.isNegative(), "must not be negative");
		this.drainDelay = drainDelay;
	}

	public Duration getWorkTimeout() {
		return this.workTimeout;
	}

	public void setWorkTimeout(Duration workTimeout) {
		Assert.isTrue(!workTimeout.isNegative(), "must not be negative");
		this.workTimeout = workTimeout;
	}

	public Duration getHookTimeout() {
		return this.hookTimeout;
	}

	public void setHookTimeout(Duration hookTimeout) {
		Assert.isTrue(!hookTimeout.isNegative() && !hookTimeout.isZero(), "must be positive");
		this.hookTimeout = hookTimeout;
	}

}
