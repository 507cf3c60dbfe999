package dev.clambake.lease;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records leases and single-replica runs, each meter tagged with {@code lease}: the gauge
 * {@value #HELD} (1 while this replica holds the lease), the counters {@value #ACQUISITIONS},
 * {@value #LOSSES}, {@value #RENEW_FAILURES} and {@value #SKIPPED} (tagged {@code reason} too),
 * and the timer {@value #RUN_DURATION} (tagged {@code outcome}). Prometheus shows them as
 * {@code clambake_lease_held}, {@code clambake_lease_acquisitions_total} and so on. A lease's
 * meters are registered at its first acquisition attempt, so a lease nobody acquires shows as 0.
 */
public class LeaseMetrics implements LeaseListener {

	/**
	 * Name of the gauge that is 1 while this replica holds a lease.
	 */
	public static final String HELD = "clambake.lease.held";

	/**
	 * Name of the counter of acquisitions.
	 */
	public static final String ACQUISITIONS = "clambake.lease.acquisitions";

	/**
	 * Name of the counter of leases found lost while held.
	 */
	public static final String LOSSES = "clambake.lease.losses";

	/**
	 * Name of the counter of renewals that failed with an error.
	 */
	public static final String RENEW_FAILURES = "clambake.lease.renew.failures";

	/**
	 * Name of the counter of skipped single-replica runs.
	 */
	public static final String SKIPPED = "clambake.lease.runs.skipped";

	/**
	 * Name of the timer of single-replica runs.
	 */
	public static final String RUN_DURATION = "clambake.lease.run.duration";

	private final MeterRegistry registry;

	private final Map<String, Meters> meters = new ConcurrentHashMap<>();

	private final Map<String, Counter> skipped = new ConcurrentHashMap<>();

	private final Map<String, Timer> runs = new ConcurrentHashMap<>();

	public LeaseMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onAcquireAttempt(String name, @Nullable Lease lease) {
		Meters meters = meters(name);
		if (lease != null) {
			meters.acquisitions().increment();
			meters.held().set(1);
		}
	}

	@Override
	public void onLost(Lease lease) {
		Meters meters = meters(lease.name());
		meters.losses().increment();
		meters.held().set(0);
	}

	@Override
	public void onRenewFailed(Lease lease, RuntimeException failure) {
		meters(lease.name()).renewFailures().increment();
	}

	@Override
	public void onReleased(Lease lease) {
		meters(lease.name()).held().set(0);
	}

	@Override
	public void onSkipped(String name, String reason) {
		meters(name);
		skipped(name, reason).increment();
	}

	private Counter skipped(String name, String reason) {
		return this.skipped.computeIfAbsent(name + ' ' + reason,
				(key) -> Counter.builder(SKIPPED)
					.description("Single-replica runs skipped")
					.tags("lease", name, "reason", reason)
					.register(this.registry));
	}

	@Override
	public void onRun(String name, String outcome, Duration duration) {
		this.runs
			.computeIfAbsent(name + ' ' + outcome,
					(key) -> Timer.builder(RUN_DURATION)
						.description("Single-replica runs")
						.tags("lease", name, "outcome", outcome)
						.register(this.registry))
			.record(duration);
	}

	private Meters meters(String name) {
		return this.meters.computeIfAbsent(name, this::register);
	}

	private Meters register(String name) {
		AtomicInteger held = new AtomicInteger();
		Gauge.builder(HELD, held, AtomicInteger::get)
			.description("Whether this replica holds the lease (1) or not (0)")
			.tag("lease", name)
			.strongReference(true)
			.register(this.registry);
		Counter acquisitions = Counter.builder(ACQUISITIONS)
			.description("Lease acquisitions by this replica")
			.tag("lease", name)
			.register(this.registry);
		Counter losses = Counter.builder(LOSSES)
			.description("Leases found lost while held")
			.tag("lease", name)
			.register(this.registry);
		Counter renewFailures = Counter.builder(RENEW_FAILURES)
			.description("Lease renewals that failed with an error")
			.tag("lease", name)
			.register(this.registry);
		// The common case, so a dashboard shows 0 before any run was skipped
		skipped(name, "held");
		return new Meters(held, acquisitions, losses, renewFailures);
	}

	private record Meters(AtomicInteger held, Counter acquisitions, Counter losses, Counter renewFailures) {

	}

}
