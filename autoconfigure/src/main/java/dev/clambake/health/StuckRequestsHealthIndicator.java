package dev.clambake.health;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.health.contributor.Health;

/**
 * Liveness that sees request threads stuck on one request: requests holding their thread
 * longer than {@code clambake.health.liveness.stuck-request-timeout} are reported in the
 * details, and {@code clambake.health.liveness.stuck-request-threshold} of them at once turn
 * liveness DOWN.
 */
public final class StuckRequestsHealthIndicator implements ProbeStateIndicator {

	private static final int LISTED = 5;

	private final InFlightRequests requests;

	private final Duration timeout;

	private final int threshold;

	StuckRequestsHealthIndicator(InFlightRequests requests, Duration timeout, int threshold) {
		this.requests = requests;
		this.timeout = timeout;
		this.threshold = threshold;
	}

	@Override
	public Health health() {
		List<InFlightRequests.Held> stuck = this.requests.heldLongerThan(this.timeout);
		Health.Builder health = (stuck.size() >= this.threshold) ? Health.down() : Health.up();
		health.withDetail("stuck", stuck.size()).withDetail("threshold", this.threshold);
		if (!stuck.isEmpty()) {
			health.withDetail("longest", stuck.stream()
				.limit(LISTED)
				.map((held) -> held.request() + " on '" + held.thread() + "' for " + held.age().toMillis() + "ms")
				.toList());
		}
		return health.build();
	}

}
