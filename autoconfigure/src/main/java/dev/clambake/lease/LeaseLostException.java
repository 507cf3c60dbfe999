package dev.clambake.lease;

/**
 * A single-replica run found that its lease was lost: taken over by another replica, or
 * expired before it could be renewed. Writes fenced by the run's lease are refused.
 */
public class LeaseLostException extends RuntimeException {

	private final Lease lease;

	public LeaseLostException(Lease lease) {
		super("Lease '" + lease.name() + "' with fencing token " + lease.token() + " held by '" + lease.holder()
				+ "' was lost: it expired or passed to another holder");
		this.lease = lease;
	}

	/**
	 * Return the lost lease.
	 * @return the lease
	 */
	public Lease getLease() {
		return this.lease;
	}

}
