package dev.clambake.health;

import org.springframework.boot.health.contributor.Health;

/**
 * The warm-up gate as a health component of the {@code startup} group:
 * {@code OUT_OF_SERVICE} until warm-up has ended, then {@code UP} with when and why it ended
 * (done, budget spent, failed).
 */
public final class WarmUpHealthIndicator implements ProbeStateIndicator {

	private final ClambakeWarmUp warmUp;

	/**
	 * Create an indicator for the gate.
	 * @param warmUp the gate
	 */
	public WarmUpHealthIndicator(ClambakeWarmUp warmUp) {
		this.warmUp = warmUp;
	}

	@Override
	public Health health() {
		WarmUpOutcome outcome = this.warmUp.outcome();
		Health.Builder health = outcome.ended() ? Health.up() : Health.outOfService();
		health.withDetail("state", outcome.state().name()).withDetail("budgetMs", this.warmUp.budget().toMillis());
		if (outcome.endedAt() != null) {
			health.withDetail("endedAt", outcome.endedAt().toString());
		}
		if (outcome.took() != null) {
			health.withDetail("tookMs", outcome.took().toMillis());
		}
		if (outcome.detail() != null) {
			health.withDetail("detail", outcome.detail());
		}
		return health.build();
	}

}
