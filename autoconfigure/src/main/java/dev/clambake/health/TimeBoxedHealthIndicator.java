package dev.clambake.health;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One health indicator behind a time box: its checks run on Clambake's executor, at most one
 * at a time, and a reader waits no longer than the time box counted from the start of the
 * run it reads. With a {@link FlapDamper}, each finished run, and each run the first time it
 * is read past its time box, counts as one check of the damped status.
 */
final class TimeBoxedHealthIndicator implements HealthIndicator {

	private final String name;

	private final HealthIndicator delegate;

	private final Duration timeout;

	private final Duration cacheTtl;

	private final Status timeoutStatus;

	private final Executor executor;

	private final @Nullable FlapDamper damper;

	private final AtomicReference<@Nullable Run> current = new AtomicReference<>();

	private volatile @Nullable Result latest;

	TimeBoxedHealthIndicator(String name, HealthIndicator delegate, Duration timeout, Duration cacheTtl,
			Status timeoutStatus, Executor executor) {
		this(name, delegate, timeout, cacheTtl, timeoutStatus, executor, null);
	}

	TimeBoxedHealthIndicator(String name, HealthIndicator delegate, Duration timeout, Duration cacheTtl,
			Status timeoutStatus, Executor executor, @Nullable FlapDamper damper) {
		this.name = name;
		this.damper = damper;
		this.delegate = delegate;
		this.timeout = timeout;
		this.cacheTtl = cacheTtl;
		this.timeoutStatus = timeoutStatus;
		this.executor = executor;
	}

	HealthIndicator getDelegate() {
		return this.delegate;
	}

	@Override
	public @Nullable Health health() {
		return read(acquire());
	}

	/**
	 * Return the run a read should use, starting one only when none is in flight and, with
	 * caching, the latest result has expired.
	 */
	Run acquire() {
		while (true) {
			Run run = this.current.get();
			if (run != null && (!run.future.isDone() || isFresh(run))) {
				return run;
			}
			Run next = new Run(System.nanoTime());
			if (this.current.compareAndSet(run, next)) {
				launch(next);
				return next;
			}
		}
	}

	/**
	 * Return the health of the given run, waiting at most until its time box ends.
	 */
	@Nullable Health read(Run run) {
		Result latest = this.latest;
		if (!run.future.isDone() && isCaching() && latest != null && !run.isOverdue(this.timeout)) {
			return latest.health();
		}
		long remaining = run.startNanos + this.timeout.toNanos() - System.nanoTime();
		if (!run.future.isDone() && remaining > 0) {
			try {
				run.future.get(remaining, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// Reported below from the state of the run
			}
		}
		Result result = run.future.getNow(null);
		return (result != null) ? result.health() : timedOut(run);
	}

	/**
	 * Return the latest known status without ever waiting: starts a check when none is in
	 * flight, and answers with the previous result (or the time-out status once the running
	 * check is past its time box). For metrics, which must not hold a scrape.
	 */
	Status peek() {
		Run run = acquire();
		Result done = run.future.getNow(null);
		Result latest = (done != null) ? done : this.latest;
		if (done == null && run.isOverdue(this.timeout)) {
			// Damped like a read: the overdue run counts as one failed check
			return timedOut(run).getStatus();
		}
		return (latest != null && latest.health() != null) ? latest.health().getStatus() : Status.UNKNOWN;
	}

	private boolean isCaching() {
		return !this.cacheTtl.isZero();
	}

	private boolean isFresh(Run run) {
		Result result = run.future.getNow(null);
		return isCaching() && result != null && System.nanoTime() - result.finishedNanos() < this.cacheTtl.toNanos();
	}

	private void launch(Run run) {
		try {
			this.executor.execute(() -> complete(run, check()));
		}
		catch (RejectedExecutionException ex) {
			complete(run, Health.unknown()
				.withDetail("error", "no free health check thread (clambake.health.max-threads)")
				.build());
		}
	}

	private @Nullable Health check() {
		try {
			return this.delegate.health();
		}
		catch (RuntimeException | Error ex) {
			return Health.down().withDetail("error", ex.getClass().getName()).build();
		}
	}

	private void complete(Run run, @Nullable Health health) {
		long finished = System.nanoTime();
		Health decorated = (health != null) ? damped(decorate(health, run.startNanos, finished)) : null;
		Result result = new Result(decorated, finished);
		this.latest = result;
		run.future.complete(result);
	}

	private Health decorate(Health health, long startNanos, long finishedNanos) {
		return Health.status(health.getStatus())
			.withDetails(HealthDetails.sanitize(health.getDetails()))
			.withDetail("latencyMs", TimeUnit.NANOSECONDS.toMillis(finishedNanos - startNanos))
			.withDetail("checkedAt", Instant.now().toString())
			.build();
	}

	private Health damped(Health health) {
		return (this.damper != null) ? this.damper.observe(health) : health;
	}

	private Health timedOut(Run run) {
		if (this.damper == null) {
			return rawTimedOut(run);
		}
		// A run past its time box counts as one failed check, however often it is read
		Health counted = run.timedOut.get();
		if (counted == null) {
			synchronized (run) {
				counted = run.timedOut.get();
				if (counted == null) {
					counted = this.damper.observe(rawTimedOut(run));
					run.timedOut.set(counted);
				}
			}
		}
		return counted;
	}

	private Health rawTimedOut(Run run) {
		return Health.status(this.timeoutStatus)
			.withDetail("error", "timed out after " + print(this.timeout))
			.withDetail("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.startNanos))
			.withDetail("checkedAt", Instant.now().toString())
			.build();
	}

	private static String print(Duration duration) {
		ChronoUnit unit = (duration.toMillis() % 1000 == 0) ? ChronoUnit.SECONDS : ChronoUnit.MILLIS;
		return DurationStyle.SIMPLE.print(duration, unit);
	}

	@Override
	public String toString() {
		return "TimeBoxedHealthIndicator[" + this.name + ", " + this.delegate.getClass().getName() + "]";
	}

	/**
	 * One run of the delegate.
	 */
	static final class Run {

		final long startNanos;

		final CompletableFuture<Result> future = new CompletableFuture<>();

		final AtomicReference<@Nullable Health> timedOut = new AtomicReference<>();

		Run(long startNanos) {
			this.startNanos = startNanos;
		}

		boolean isOverdue(Duration timeout) {
			return System.nanoTime() - this.startNanos >= timeout.toNanos();
		}

	}

	/**
	 * The outcome of a run.
	 *
	 * @param health the decorated health, or {@code null} when the delegate gave none
	 * @param finishedNanos when the run finished, on the {@link System#nanoTime()} scale
	 */
	record Result(@Nullable Health health, long finishedNanos) {

	}

}
