package dev.clambake.state;

/**
 * Told about each operation of a {@link StateStore} and each committed mutation; beans of this
 * type are picked up by the auto-configured store (metrics and audit events use it).
 */
public interface StateStoreListener {

	/**
	 * Called when an operation finished.
	 * @param operation the operation: get, create, replace, delete, list or audit; fenced_create,
	 * fenced_replace or fenced_delete; lease_acquire, lease_renew, lease_release, lease_get,
	 * lease_list or clock
	 * @param outcome success, conflict, not_found, invalid, busy, unavailable, fenced or error
	 * @param nanos how long the operation took
	 */
	default void onOperation(String operation, String outcome, long nanos) {
	}

	/**
	 * Called after a mutation and its audit record were committed.
	 * @param record the audit record
	 */
	default void onAudit(StateAuditRecord record) {
	}

}
