package dev.clambake.lease;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Told about lease and single-replica run events; beans of this type are picked up by the
 * auto-configured {@link Leases} and {@link SingleReplicaJobs} (metrics use it).
 */
public interface LeaseListener {

	/**
	 * Called when an attempt to acquire a lease ended.
	 * @param name the lease's name
	 * @param lease the acquired lease, or {@code null} when another replica holds it
	 */
	default void onAcquireAttempt(String name, @Nullable Lease lease) {
	}

	/**
	 * Called when a lease this replica held was found lost: taken over, or expired before it
	 * could be renewed.
	 * @param lease the lost lease
	 */
	default void onLost(Lease lease) {
	}

	/**
	 * Called when renewing a lease failed with an error (the lease may still be held).
	 * @param lease the lease
	 * @param failure the error
	 */
	default void onRenewFailed(Lease lease, RuntimeException failure) {
	}

	/**
	 * Called when a lease this replica held was released.
	 * @param lease the released lease
	 */
	default void onReleased(Lease lease) {
	}

	/**
	 * Called when a single-replica run was skipped.
	 * @param name the lease's name
	 * @param reason {@code held} (another replica holds it), {@code running} (a run of it is still
	 * going on in this replica), {@code shutdown} or {@code error}
	 */
	default void onSkipped(String name, String reason) {
	}

	/**
	 * Called when a single-replica run ended.
	 * @param name the lease's name
	 * @param outcome {@code success}, {@code failure} or {@code lost}
	 * @param duration how long the run took
	 */
	default void onRun(String name, String outcome, Duration duration) {
	}

}
