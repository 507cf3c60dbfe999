package dev.clambake.state;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the state store's database answers.
 */
public class StateStoreHealthIndicator implements HealthIndicator {

	private static final int TIMEOUT_SECONDS = 2;

	private final StateStore store;

	public StateStoreHealthIndicator(StateStore store) {
		this.store = store;
	}

	@Override
	public Health health() {
		if (this.store instanceof JdbcStateStore jdbc) {
			Health.Builder builder = jdbc.isHealthy(TIMEOUT_SECONDS) ? Health.up() : Health.down();
			return builder.withDetail("database", jdbc.getDatabase()).build();
		}
		try {
			this.store.get("clambake", "health");
			return Health.up().build();
		}
		catch (RuntimeException ex) {
			return Health.down(ex).build();
		}
	}

}
