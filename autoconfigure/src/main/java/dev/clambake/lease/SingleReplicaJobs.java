package dev.clambake.lease;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.clambake.correlation.CorrelationIds;
import dev.clambake.shutdown.InFlightWork;
import dev.clambake.shutdown.ShutdownRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.util.Assert;

/**
 * Runs work on at most one replica at a time. A run:
 * <ul>
 * <li>is tracked as {@link InFlightWork} named after its lease, so shutdown waits for it and
 * refuses new runs;</li>
 * <li>takes the lease, or is skipped (logged at DEBUG and counted) when another replica holds
 * it or a run of it is still going on in this replica;</li>
 * <li>gets a fresh correlation id in the MDC, so its logs, outbound calls and state store
 * writes carry it;</li>
 * <li>renews the lease every third of its duration on a daemon thread; when the lease is found
 * lost, or cannot be renewed before it expires, the run's thread is interrupted and
 * {@link SingleReplicaRun#isLost()} says so, while writes fenced by the run's lease are refused
 * by the database;</li>
 * <li>releases the lease when it ends, so the next run may start on any replica at once.</li>
 * </ul>
 */
public final class SingleReplicaJobs implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SingleReplicaJobs.class);

	private final Leases leases;

	private final @Nullable InFlightWork inFlightWork;

	private final List<LeaseListener> listeners;

	private final Set<String> runningHere = ConcurrentHashMap.newKeySet();

	private final ScheduledThreadPoolExecutor renewer;

	/**
	 * Create the runner.
	 * @param leases the leases runs take
	 * @param inFlightWork the tracker shutdown waits for, or {@code null} to leave runs untracked
	 * @param listeners told about skipped and finished runs
	 */
	public SingleReplicaJobs(Leases leases, @Nullable InFlightWork inFlightWork, List<LeaseListener> listeners) {
		this.leases = leases;
		this.inFlightWork = inFlightWork;
		this.listeners = List.copyOf(listeners);
		this.renewer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "clambake-lease-renew");
			thread.setDaemon(true);
			return thread;
		});
		this.renewer.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Run work if this replica can take the lease.
	 * @param lease the lease's name
	 * @param duration how long the lease is held between renewals
	 * @param work the work
	 * @return whether the work ran; {@code false} when the run was skipped
	 * @throws RuntimeException what the work threw, a checked exception wrapped in an
	 * {@link IllegalStateException}
	 */
	public boolean run(String lease, Duration duration, LeasedWork work) {
		try {
			return execute(lease, duration, () -> work.run(SingleReplicaRun.current()));
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Single-replica run of lease '" + lease + "' failed", ex);
		}
	}

	boolean execute(String name, Duration duration, Work work) throws Throwable {
		Assert.hasText(name, "Lease name must not be empty");
		Assert.isTrue(duration.toMillis() >= 3, "Lease duration must be at least 3ms");
		if (!this.runningHere.add(name)) {
			skipped(name, "running", "a run of it is still going on in this replica");
			return false;
		}
		try {
			InFlightWork.Work tracked;
			try {
				tracked = (this.inFlightWork != null) ? this.inFlightWork.begin(name) : null;
			}
			catch (ShutdownRefusedException ex) {
				skipped(name, "shutdown", "shutdown has begun");
				return false;
			}
			try {
				return runHeld(name, duration, work);
			}
			finally {
				if (tracked != null) {
					tracked.close();
				}
			}
		}
		finally {
			this.runningHere.remove(name);
		}
	}

	private boolean runHeld(String name, Duration duration, Work work) throws Throwable {
		long acquiring = System.nanoTime();
		Optional<Lease> acquired;
		try {
			acquired = this.leases.tryAcquire(name, duration);
		}
		catch (RuntimeException ex) {
			skipped(name, "error", "the lease could not be acquired: " + ex.getMessage());
			throw ex;
		}
		if (acquired.isEmpty()) {
			skipped(name, "held", "another replica holds the lease");
			return false;
		}
		Lease lease = acquired.get();
		String correlationId = CorrelationIds.generate();
		String previousCorrelationId = MDC.get(CorrelationIds.MDC_KEY);
		MDC.put(CorrelationIds.MDC_KEY, correlationId);
		SingleReplicaRun run = new SingleReplicaRun(lease, Thread.currentThread(), correlationId);
		SingleReplicaRun previousRun = SingleReplicaRun.enter(run);
		Renewal renewal = new Renewal(run, duration, acquiring);
		long started = System.nanoTime();
		String outcome = "failure";
		try {
			renewal.start();
			work.run();
			outcome = run.isLost() ? "lost" : "success";
			return true;
		}
		catch (Throwable ex) {
			if (run.isLost()) {
				outcome = "lost";
			}
			throw ex;
		}
		finally {
			renewal.stop();
			run.finish();
			if (!run.isLost()) {
				try {
					this.leases.release(run.lease());
				}
				catch (RuntimeException ex) {
					logger.warn("Could not release lease '" + name + "'; it expires at " + run.lease().expiresAt(), ex);
				}
			}
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			String finalOutcome = outcome;
			notify((listener) -> listener.onRun(name, finalOutcome, took));
			SingleReplicaRun.exit(previousRun);
			if (previousCorrelationId != null) {
				MDC.put(CorrelationIds.MDC_KEY, previousCorrelationId);
			}
			else {
				MDC.remove(CorrelationIds.MDC_KEY);
			}
		}
	}

	private void skipped(String name, String reason, String why) {
		if (logger.isDebugEnabled()) {
			logger.debug("Single-replica run of lease '" + name + "' skipped: " + why);
		}
		notify((listener) -> listener.onSkipped(name, reason));
	}

	private void notify(Consumer<LeaseListener> event) {
		for (LeaseListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Lease listener " + listener + " failed", ex);
			}
		}
	}

	/**
	 * Stop the renewal thread; runs still going on lose their leases when they expire.
	 */
	@Override
	public void close() {
		this.renewer.shutdownNow();
	}

	/**
	 * The work of a run, as the {@link SingleReplica} interceptor calls it.
	 */
	@FunctionalInterface
	interface Work {

		void run() throws Throwable;

	}

	/**
	 * Renews a run's lease every third of its duration and tells the run when the lease is lost.
	 * Its deadline is measured on this replica's monotonic clock from before the last successful
	 * acquisition or renewal was sent, so it never ends later than the database's.
	 */
	private final class Renewal implements Runnable {

		private final SingleReplicaRun run;

		private final Duration duration;

		private volatile long deadline;

		private @Nullable ScheduledFuture<?> future;

		Renewal(SingleReplicaRun run, Duration duration, long sentAt) {
			this.run = run;
			this.duration = duration;
			this.deadline = sentAt + duration.toNanos();
		}

		void start() {
			long period = Math.max(1, this.duration.toMillis() / 3);
			this.future = SingleReplicaJobs.this.renewer.scheduleAtFixedRate(this, period, period,
					TimeUnit.MILLISECONDS);
		}

		void stop() {
			ScheduledFuture<?> future = this.future;
			if (future != null) {
				future.cancel(false);
			}
		}

		@Override
		public void run() {
			if (this.run.isLost()) {
				return;
			}
			long sent = System.nanoTime();
			if (sent - this.deadline >= 0) {
				lose("it expired before it could be renewed");
				return;
			}
			try {
				Optional<Lease> renewed = SingleReplicaJobs.this.leases.renew(this.run.lease(), this.duration);
				if (renewed.isPresent()) {
					this.run.renewed(renewed.get());
					this.deadline = sent + this.duration.toNanos();
				}
				else {
					lose("it expired or passed to another holder");
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not renew lease '" + this.run.lease().name() + "'; trying again", ex);
				if (System.nanoTime() - this.deadline >= 0) {
					lose("it expired before it could be renewed");
				}
			}
		}

		private void lose(String why) {
			logger.warn("Single-replica run of lease '" + this.run.lease().name() + "' (fencing token "
					+ this.run.lease().token() + ") lost its lease: " + why + "; interrupting the run");
			this.run.lose();
			stop();
		}

	}

}
