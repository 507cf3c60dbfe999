package dev.clambake.lease;

/**
 * Work that {@link SingleReplicaJobs} runs while holding a lease.
 */
@FunctionalInterface
public interface LeasedWork {

	/**
	 * Do the work.
	 * @param run the run: its lease, its fence for state store writes, and whether it was lost
	 * @throws Exception if the work fails
	 */
	void run(SingleReplicaRun run) throws Exception;

}
