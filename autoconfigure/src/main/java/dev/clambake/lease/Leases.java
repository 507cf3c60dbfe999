package dev.clambake.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.clambake.state.StateLease;

/**
 * Named leases on the state store, each held by at most one replica at a time. Expiry is judged
 * by the database's clock only, and every acquisition gets a fencing token higher than any
 * before it:
 * <pre class="code">
 * leases.tryAcquire("nightly-export", Duration.ofMinutes(1)).ifPresent((lease) -&gt; {
 *     try {
 *         stateStore.create("exports", key, json, null, lease.fence());
 *     }
 *     finally {
 *         leases.release(lease);
 *     }
 * });
 * </pre>
 * For scheduled work prefer {@link SingleReplica @SingleReplica} or {@link SingleReplicaJobs},
 * which renew the lease while the work runs.
 */
public interface Leases {

	/**
	 * Acquire a lease unless another holder has it.
	 * @param name the lease's name: 1 to 256 characters of {@code A-Z a-z 0-9 . _ - : @ /}
	 * @param duration how long it is held unless renewed or released
	 * @return the lease, or empty when another replica holds it
	 */
	Optional<Lease> tryAcquire(String name, Duration duration);

	/**
	 * Extend a lease this replica holds to a duration from now by the database's clock.
	 * @param lease the lease
	 * @param duration how long from now it is held
	 * @return the renewed lease, with the same token, or empty when it was lost
	 */
	Optional<Lease> renew(Lease lease, Duration duration);

	/**
	 * Release a lease so another replica may acquire it at once.
	 * @param lease the lease
	 * @return whether it was still held and is now released
	 */
	boolean release(Lease lease);

	/**
	 * Release every lease this replica holds; called on shutdown once tracked work has finished.
	 * @return how many were released
	 */
	int releaseAll();

	/**
	 * Return the leases this replica holds now, as of their last acquisition or renewal.
	 * @return the held leases
	 */
	List<Lease> held();

	/**
	 * Return every lease the store knows, held or not, with its last holder.
	 * @return the leases' rows, in name order
	 */
	List<StateLease> list();

	/**
	 * Return the database's current time, the clock leases expire by.
	 * @return the database's time
	 */
	Instant databaseTime();

	/**
	 * Return the identity this replica holds leases under.
	 * @return the holder ({@code clambake.lease.holder})
	 */
	String holder();

}
