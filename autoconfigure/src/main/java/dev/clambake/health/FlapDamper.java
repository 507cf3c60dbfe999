package dev.clambake.health;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The reported status of one component, damped the way Kubernetes damps its probes: a
 * component reported healthy turns failing only after {@code failureThreshold} failed checks
 * in a row, and back only after {@code successThreshold} good ones. A failure is
 * {@code DOWN} or {@code OUT_OF_SERVICE}; any other status is good. An optional component's
 * failure is reported as {@code DEGRADED}. The first check is reported as it is.
 * <p>
 * The details gain {@code rawStatus} (the last check's own status), {@code streak} (how many
 * checks in a row were good, or failed, like the last) and {@code since} (when the reported
 * status began to hold).
 */
final class FlapDamper {

	private final int failureThreshold;

	private final int successThreshold;

	private final @Nullable Criticality criticality;

	private final Clock clock;

	private boolean started;

	private boolean lastFailed;

	private int streak;

	private boolean reportedFailing;

	private Status held = Status.UNKNOWN;

	private Instant since = Instant.EPOCH;

	FlapDamper(int failureThreshold, int successThreshold, @Nullable Criticality criticality, Clock clock) {
		this.failureThreshold = failureThreshold;
		this.successThreshold = successThreshold;
		this.criticality = criticality;
		this.clock = clock;
	}

	/**
	 * Return a damper for the named component, or {@code null} when the component has
	 * neither thresholds above one nor a criticality, so its results are reported unchanged.
	 */
	static @Nullable FlapDamper forComponent(ClambakeHealthProperties properties, String name, Clock clock) {
		ClambakeHealthProperties.Component component = properties.componentFor(name);
		int failures = properties.getFailureThreshold();
		int successes = properties.getSuccessThreshold();
		Criticality criticality = null;
		if (component != null) {
			failures = (component.getFailureThreshold() != null) ? component.getFailureThreshold() : failures;
			successes = (component.getSuccessThreshold() != null) ? component.getSuccessThreshold() : successes;
			criticality = component.getCriticality();
		}
		if (failures == 1 && successes == 1 && criticality == null) {
			return null;
		}
		return new FlapDamper(failures, successes, criticality, clock);
	}

	static boolean isFailure(Status status) {
		return Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status);
	}

	/**
	 * Count the result of one check and return what to report for it.
	 */
	synchronized Health observe(Health raw) {
		Status rawStatus = raw.getStatus();
		boolean failed = isFailure(rawStatus);
		Instant now = this.clock.instant();
		if (this.started && failed == this.lastFailed) {
			this.streak++;
		}
		else {
			this.streak = 1;
			this.lastFailed = failed;
		}
		if (!this.started) {
			this.started = true;
			this.reportedFailing = failed;
			this.since = now;
		}
		else if (failed != this.reportedFailing
				&& this.streak >= (failed ? this.failureThreshold : this.successThreshold)) {
			this.reportedFailing = failed;
			this.since = now;
		}
		if (failed == this.reportedFailing) {
			this.held = rawStatus;
		}
		Status reported = this.held;
		if (this.criticality == Criticality.OPTIONAL && isFailure(reported)) {
			reported = ClambakeHealthStatus.DEGRADED;
		}
		return Health.status(reported)
			.withDetails(raw.getDetails())
			.withDetail("rawStatus", rawStatus.getCode())
			.withDetail("streak", this.streak)
			.withDetail("since", this.since.toString())
			.build();
	}

}
