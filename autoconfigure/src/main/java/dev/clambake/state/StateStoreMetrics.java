package dev.clambake.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records each state store operation as the counter {@value #OPERATIONS} and the timer
 * {@value #DURATION} (with a histogram), both tagged with {@code operation} and {@code outcome};
 * Prometheus shows them as {@code clambake_state_operations_total} and
 * {@code clambake_state_operation_duration_seconds}.
 */
public class StateStoreMetrics implements StateStoreListener {

	/**
	 * Name of the operations counter.
	 */
	public static final String OPERATIONS = "clambake.state.operations";

	/**
	 * Name of the operation latency timer.
	 */
	public static final String DURATION = "clambake.state.operation.duration";

	private final MeterRegistry registry;

	private final Map<String, Meters> meters = new ConcurrentHashMap<>();

	public StateStoreMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOperation(String operation, String outcome, long nanos) {
		Meters meters = this.meters.computeIfAbsent(operation + ' ' + outcome, (key) -> register(operation, outcome));
		meters.counter().increment();
		meters.timer().record(nanos, TimeUnit.NANOSECONDS);
	}

	private Meters register(String operation, String outcome) {
		Counter counter = Counter.builder(OPERATIONS)
			.description("State store operations")
			.tags("operation", operation, "outcome", outcome)
			.register(this.registry);
		Timer timer = Timer.builder(DURATION)
			.description("State store operation latency")
			.tags("operation", operation, "outcome", outcome)
			.publishPercentileHistogram()
			.register(this.registry);
		return new Meters(counter, timer);
	}

	private record Meters(Counter counter, Timer timer) {

	}

}
