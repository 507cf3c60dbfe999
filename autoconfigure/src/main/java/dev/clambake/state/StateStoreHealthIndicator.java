package dev.clambake.state;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the state store's database takes writes: the JDBC store updates its
 * heartbeat row in a transaction it rolls back, so a database that answers reads but refuses
 * writes (a read-only file, a read-only replica) is DOWN with the reason.
 */
public class StateStoreHealthIndicator implements HealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final StateStore store;

	public StateStoreHealthIndicator(StateStore store) {
		this.store = store;
	}

	@Override
	public Health health() {
		if (this.store instanceof JdbcStateStore jdbc) {
			JdbcStateStore.HealthCheck check = jdbc.checkHealth(TIMEOUT);
			Health.Builder builder = check.up() ? Health.up() : Health.down().withDetail("reason", check.reason());
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
