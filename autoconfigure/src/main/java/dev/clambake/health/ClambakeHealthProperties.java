package dev.clambake.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

	/**
	 * Failed checks in a row before a component reported UP turns DOWN, for every component
	 * without its own; 1 turns it DOWN on the first failure.
	 */
	private int failureThreshold = 1;

	/**
	 * Good checks in a row before a component reported DOWN turns UP again, for every
	 * component without its own; 1 turns it UP on the first good check.
	 */
	private int successThreshold = 1;

	/**
	 * Flap damping and criticality per contributor name; a nested contributor is named with
	 * slashes, in brackets: components.[db/primary].failure-threshold.
	 */
	private Map<String, Component> components = new LinkedHashMap<>();

	/**
	 * What the liveness probe watches besides the application's liveness state.
	 */
	private final Liveness liveness = new Liveness();

	/**
	 * The warm-up gate: readiness stays OUT_OF_SERVICE until warm-up ends.
	 */
	private final WarmUpSettings warmUp = new WarmUpSettings();

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

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(int failureThreshold) {
		Assert.isTrue(failureThreshold >= 1, "must be at least 1");
		this.failureThreshold = failureThreshold;
	}

	public int getSuccessThreshold() {
		return this.successThreshold;
	}

	public void setSuccessThreshold(int successThreshold) {
		Assert.isTrue(successThreshold >= 1, "must be at least 1");
		this.successThreshold = successThreshold;
	}

	public Map<String, Component> getComponents() {
		return this.components;
	}

	public void setComponents(Map<String, Component> components) {
		this.components = new LinkedHashMap<>(components);
	}

	public Liveness getLiveness() {
		return this.liveness;
	}

	public WarmUpSettings getWarmUp() {
		return this.warmUp;
	}

	/**
	 * Return the settings that apply to the named contributor: its own, else those of the
	 * nearest enclosing composite ({@code db} for {@code db/primary}), else none.
	 * @param name the contributor's name, nested names joined with slashes
	 * @return the settings, or {@code null}
	 */
	@Nullable Component componentFor(String name) {
		String candidate = name;
		while (true) {
			Component component = this.components.get(candidate);
			if (component != null) {
				return component;
			}
			int slash = candidate.lastIndexOf('/');
			if (slash < 0) {
				return null;
			}
			candidate = candidate.substring(0, slash);
		}
	}

	/**
	 * Return the time box of the named contributor.
	 * @param name the contributor's name, nested names joined with slashes
	 * @return its time box
	 */
	public Duration timeoutFor(String name) {
		return this.timeouts.getOrDefault(name, this.timeout);
	}

	/**
	 * Flap damping and criticality of one health component.
	 */
	public static class Component {

		/**
		 * Failed checks in a row before the component turns DOWN; clambake.health.failure-threshold when not set.
		 */
		private @Nullable Integer failureThreshold;

		/**
		 * Good checks in a row before the component turns UP again; clambake.health.success-threshold when not set.
		 */
		private @Nullable Integer successThreshold;

		/**
		 * Whether the component's DOWN takes readiness DOWN (critical) or only makes the service
		 * DEGRADED (optional); when not set, its status counts as it is, outside readiness.
		 */
		private @Nullable Criticality criticality;

		public @Nullable Integer getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(@Nullable Integer failureThreshold) {
			Assert.isTrue(failureThreshold == null || failureThreshold >= 1, "must be at least 1");
			this.failureThreshold = failureThreshold;
		}

		public @Nullable Integer getSuccessThreshold() {
			return this.successThreshold;
		}

		public void setSuccessThreshold(@Nullable Integer successThreshold) {
			Assert.isTrue(successThreshold == null || successThreshold >= 1, "must be at least 1");
			this.successThreshold = successThreshold;
		}

		public @Nullable Criticality getCriticality() {
			return this.criticality;
		}

		public void setCriticality(@Nullable Criticality criticality) {
			this.criticality = criticality;
		}

	}

	/**
	 * What the liveness probe watches.
	 */
	public static class Liveness {

		/**
		 * Whether JVM-detected deadlocked threads turn liveness DOWN.
		 */
		private boolean deadlockDetection = true;

		/**
		 * How long a request may hold its thread before it counts as stuck, in servlet
		 * applications; not set, no request is tracked.
		 */
		private @Nullable Duration stuckRequestTimeout;

		/**
		 * How many stuck requests at once turn liveness DOWN; fewer are only reported.
		 */
		private int stuckRequestThreshold = 5;

		public boolean isDeadlockDetection() {
			return this.deadlockDetection;
		}

		public void setDeadlockDetection(boolean deadlockDetection) {
			this.deadlockDetection = deadlockDetection;
		}

		public @Nullable Duration getStuckRequestTimeout() {
			return this.stuckRequestTimeout;
		}

		public void setStuckRequestTimeout(@Nullable Duration stuckRequestTimeout) {
			Assert.isTrue(stuckRequestTimeout == null || stuckRequestTimeout.compareTo(Duration.ZERO) > 0,
					"must be positive");
			this.stuckRequestTimeout = stuckRequestTimeout;
		}

		public int getStuckRequestThreshold() {
			return this.stuckRequestThreshold;
		}

		public void setStuckRequestThreshold(int stuckRequestThreshold) {
			Assert.isTrue(stuckRequestThreshold >= 1, "must be at least 1");
			this.stuckRequestThreshold = stuckRequestThreshold;
		}

	}

	/**
	 * The warm-up gate.
	 */
	public static class WarmUpSettings {

		/**
		 * Longest time warm-up may hold readiness OUT_OF_SERVICE; when it is spent, the
		 * application turns ready anyway.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Paths of the application's own endpoints to GET over loopback before it turns ready,
		 * for example /api/hello; none, no built-in warm-up.
		 */
		private List<String> requests = new ArrayList<>();

		/**
		 * How many times each warm-up request is sent.
		 */
		private int iterations = 10;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, "must be positive");
			this.timeout = timeout;
		}

		public List<String> getRequests() {
			return this.requests;
		}

		public void setRequests(List<String> requests) {
			requests.forEach((path) -> Assert.isTrue(path.startsWith("/"),
					() -> "'" + path + "' must be a path starting with /"));
			this.requests = new ArrayList<>(requests);
		}

		public int getIterations() {
			return this.iterations;
		}

		public void setIterations(int iterations) {
			Assert.isTrue(iterations >= 1, "must be at least 1");
			this.iterations = iterations;
		}

	}

}
