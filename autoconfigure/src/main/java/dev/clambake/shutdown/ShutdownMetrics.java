package dev.clambake.shutdown;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Records the shutdown sequence in Micrometer: {@value #PHASE} (a timer per phase),
 * {@value #HOOK} (a timer per hook and outcome), {@value #ABANDONED_WORK} (a counter,
 * registered at start-up so it reads zero until work is abandoned) and {@value #IN_FLIGHT_WORK}
 * (a gauge of the tracked work running now, one series per work name). They are recorded before
 * the registry closes; the sequence also logs them.
 */
final class ShutdownMetrics implements ShutdownRecorder, SmartInitializingSingleton {

	static final String PHASE = "clambake.shutdown.phase";

	static final String HOOK = "clambake.shutdown.hook";

	static final String ABANDONED_WORK = "clambake.shutdown.abandoned.work";

	static final String IN_FLIGHT_WORK = "clambake.shutdown.in.flight.work";

	private final ObjectProvider<MeterRegistry> registries;

	private @Nullable Counter abandonedWork;

	private final ObjectProvider<InFlightWork> inFlightWork;

	ShutdownMetrics(ObjectProvider<MeterRegistry> registries, ObjectProvider<InFlightWork> inFlightWork) {
		this.registries = registries;
		this.inFlightWork = inFlightWork;
	}

	@Override
	public void afterSingletonsInstantiated() {
		MeterRegistry registry = this.registries.getIfAvailable();
		if (registry != null) {
			this.abandonedWork = abandonedWorkCounter(registry);
			InFlightWork work = this.inFlightWork.getIfAvailable();
			if (work != null) {
				work.onEachName((name) -> Gauge.builder(IN_FLIGHT_WORK, work, (tracked) -> tracked.running(name))
					.description("Units of tracked work running now, by name")
					.tag("name", name)
					.register(registry));
			}
		}
	}

	@Override
	public void phase(String phase, Duration duration) {
		MeterRegistry registry = this.registries.getIfAvailable();
		if (registry != null) {
			Timer.builder(PHASE)
				.description("Duration of each phase of the graceful shutdown")
				.tag("phase", phase)
				.register(registry)
				.record(duration);
		}
	}

	@Override
	public void hook(String hook, String outcome, Duration duration) {
		MeterRegistry registry = this.registries.getIfAvailable();
		if (registry != null) {
			Timer.builder(HOOK)
				.description("Duration of each shutdown hook, by outcome")
				.tag("hook", hook)
				.tag("outcome", outcome)
				.register(registry)
				.record(duration);
		}
	}

	@Override
	public void abandonedWork(int count) {
		Counter counter = this.abandonedWork;
		if (counter == null) {
			MeterRegistry registry = this.registries.getIfAvailable();
			counter = (registry != null) ? abandonedWorkCounter(registry) : null;
		}
		if (counter != null) {
			counter.increment(count);
		}
	}

	private static Counter abandonedWorkCounter(MeterRegistry registry) {
		return Counter.builder(ABANDONED_WORK)
			.description("Units of tracked work abandoned at the shutdown work timeout")
			.register(registry);
	}

}
