package dev.clambake.health;

import org.springframework.boot.health.contributor.Status;

/**
 * Statuses Clambake adds to Spring Boot's. Aggregation takes the worst status of the
 * components in the order {@code DOWN, OUT_OF_SERVICE, DEGRADED, UP, UNKNOWN}
 * ({@code management.endpoint.health.status.order}); {@code DEGRADED} answers HTTP 200.
 */
public final class ClambakeHealthStatus {

	/**
	 * Working, with reduced function: a fallback is in use or an optional dependency is
	 * down. Still served (HTTP 200), worse than {@link Status#UP}, better than
	 * {@link Status#OUT_OF_SERVICE}.
	 */
	public static final Status DEGRADED = new Status("DEGRADED");

	private ClambakeHealthStatus() {
	}

}
