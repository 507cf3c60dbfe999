package dev.clambake.lease;

import java.util.Optional;

import dev.clambake.state.StateFence;
import org.jspecify.annotations.Nullable;

/**
 * One run of single-replica work, as seen from inside it: its lease and the fence its state
 * store writes carry, its correlation id, and whether its lease was lost while it ran. When the
 * lease is lost the run's thread is interrupted as well.
 * <pre class="code">
 * SingleReplicaRun run = SingleReplicaRun.current();
 * for (Item item : items) {
 *     run.checkHeld();
 *     stateStore.replace("items", item.key(), json, item.version(), null, run.fence());
 * }
 * </pre>
 */
public final class SingleReplicaRun {

	// Set on the run's thread for the run only, and always restored in a finally block
	private static final ThreadLocal<SingleReplicaRun> CURRENT = new ThreadLocal<>();

	private final Thread thread;

	private final String correlationId;

	private final Object monitor = new Object();

	private volatile Lease lease;

	private volatile boolean lost;

	private boolean finished;

	SingleReplicaRun(Lease lease, Thread thread, String correlationId) {
		this.lease = lease;
		this.thread = thread;
		this.correlationId = correlationId;
	}

	/**
	 * Return the run on the calling thread.
	 * @return the run
	 * @throws IllegalStateException when the calling thread is not running single-replica work
	 */
	public static SingleReplicaRun current() {
		SingleReplicaRun run = CURRENT.get();
		if (run == null) {
			throw new IllegalStateException("Not in a single-replica run: call this from a @SingleReplica method "
					+ "or from work given to SingleReplicaJobs.run");
		}
		return run;
	}

	/**
	 * Return the run on the calling thread, if there is one.
	 * @return the run, or empty outside single-replica work
	 */
	public static Optional<SingleReplicaRun> find() {
		return Optional.ofNullable(CURRENT.get());
	}

	/**
	 * Return the run's lease, as of its last renewal.
	 * @return the lease
	 */
	public Lease lease() {
		return this.lease;
	}

	/**
	 * Return the fence the run's state store writes carry, so that they are refused once its
	 * lease has passed to another replica.
	 * @return the fence
	 */
	public StateFence fence() {
		return this.lease.fence();
	}

	/**
	 * Return the correlation id of the run, in the MDC while it runs.
	 * @return the correlation id
	 */
	public String correlationId() {
		return this.correlationId;
	}

	/**
	 * Return whether the run's lease was found lost: taken over, or expired before it could be
	 * renewed.
	 * @return whether the lease was lost
	 */
	public boolean isLost() {
		return this.lost;
	}

	/**
	 * Throw when the run's lease was found lost.
	 * @throws LeaseLostException if the lease was lost
	 */
	public void checkHeld() {
		if (this.lost) {
			throw new LeaseLostException(this.lease);
		}
	}

	void renewed(Lease lease) {
		this.lease = lease;
	}

	/**
	 * Mark the lease lost and interrupt the run's thread, unless the run has finished.
	 */
	void lose() {
		synchronized (this.monitor) {
			if (this.finished || this.lost) {
				return;
			}
			this.lost = true;
			this.thread.interrupt();
		}
	}

	/**
	 * Mark the run finished so a late loss no longer interrupts its thread, and clear an
	 * interrupt a loss caused.
	 */
	void finish() {
		synchronized (this.monitor) {
			this.finished = true;
			if (this.lost) {
				Thread.interrupted();
			}
		}
	}

	static @Nullable SingleReplicaRun enter(SingleReplicaRun run) {
		SingleReplicaRun previous = CURRENT.get();
		CURRENT.set(run);
		return previous;
	}

	static void exit(@Nullable SingleReplicaRun previous) {
		if (previous != null) {
			CURRENT.set(previous);
		}
		else {
			CURRENT.remove();
		}
	}

	@Override
	public String toString() {
		return "single-replica run of " + this.lease.fence();
	}

}
