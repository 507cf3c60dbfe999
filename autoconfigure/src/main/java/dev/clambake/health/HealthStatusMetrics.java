package dev.clambake.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.Status;

/**
 * Publishes each health component's status as the gauge {@code clambake.health.status}
 * (Prometheus: {@code clambake_health_status{component}}): 1 for UP, 0.5 for DEGRADED and other
 * reduced states such as CIRCUIT_OPEN, 0 for DOWN and OUT_OF_SERVICE, -1 for UNKNOWN. A scrape
 * never waits for a check: it reads the latest result and starts the next check in the
 * background, within the same one-in-flight and time-box rules as the endpoint.
 */
class HealthStatusMetrics implements MeterBinder {

	static final String METER = "clambake.health.status";

	private final HealthContributors contributors;

	/**
	 * Create a binder for the given time-boxed contributors.
	 * @param contributors the time-boxed registries (blocking, and reactive when present)
	 */
	HealthStatusMetrics(HealthContributors contributors) {
		this.contributors = contributors;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		this.contributors.stream().map(HealthContributors.Entry::name).forEach((name) -> {
			// The registries hand out the one time-boxed view they keep per name
			if (this.contributors.getContributor(name) instanceof TimeBoxedHealthIndicator indicator) {
				Gauge.builder(METER, indicator, (component) -> value(component.peek()))
					.tag("component", name)
					.description("Status of the health component: 1 up, 0.5 degraded, 0 down, -1 unknown")
					.register(meters);
			}
		});
	}

	static double value(Status status) {
		String code = status.getCode();
		if (code.equals(Status.UP.getCode())) {
			return 1;
		}
		if (code.equals(Status.DOWN.getCode()) || code.equals(Status.OUT_OF_SERVICE.getCode())) {
			return 0;
		}
		if (code.equals(Status.UNKNOWN.getCode())) {
			return -1;
		}
		return 0.5;
	}

}
