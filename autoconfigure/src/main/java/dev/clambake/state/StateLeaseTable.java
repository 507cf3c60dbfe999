package dev.clambake.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state store's lease table, the building block of {@code dev.clambake.lease}: each
 * operation is one short transaction, and expiry is judged by the database's clock only.
 * Every acquisition adds one to the lease's fencing token, which never goes back; acquisitions
 * and releases are written to the audit trail in namespace {@value #AUDIT_NAMESPACE}.
 */
public interface StateLeaseTable {

	/**
	 * The audit namespace of lease acquisitions and releases.
	 */
	String AUDIT_NAMESPACE = "clambake-leases";

	/**
	 * Acquire a lease that does not exist, has expired or is already held by the same holder
	 * (the holder then gets a new token, so writes fenced by its older acquisition fail).
	 * @param name the lease's name (1 to 256 characters of a key)
	 * @param holder who acquires it
	 * @param duration how long it is held unless renewed (at least 1ms)
	 * @return the acquired lease, or empty when another holder has it
	 */
	Optional<StateLease> acquireLease(String name, String holder, Duration duration);

	/**
	 * Extend a lease that the fence's acquisition still holds.
	 * @param fence the acquisition to extend
	 * @param duration how long from now, by the database's clock, it is held
	 * @return the renewed lease, or empty when it had expired or passed to another holder
	 */
	Optional<StateLease> renewLease(StateFence fence, Duration duration);

	/**
	 * Release a lease that the fence's acquisition still holds: it expires at once, keeping its
	 * token, so any replica may acquire it.
	 * @param fence the acquisition to release
	 * @return whether it was still held and is now released
	 */
	boolean releaseLease(StateFence fence);

	/**
	 * Return a lease's row as it is now.
	 * @param name the lease's name
	 * @return the row, or empty when the lease was never acquired
	 */
	Optional<StateLease> lease(String name);

	/**
	 * Return every lease's row, in name order.
	 * @return the rows
	 */
	List<StateLease> leases();

	/**
	 * Return the database's current time, the clock leases expire by.
	 * @return the database's time, to the millisecond
	 */
	Instant databaseTime();

}
