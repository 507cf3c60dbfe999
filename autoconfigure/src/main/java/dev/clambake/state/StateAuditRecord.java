package dev.clambake.state;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One mutation of the state store, written in the same transaction as the mutation itself.
 *
 * @param id the audit record's id, increasing in the order mutations committed within a namespace
 * @param action what happened
 * @param namespace the namespace of the key
 * @param key the key that changed
 * @param oldVersion the version before the mutation, {@code null} for {@link Action#CREATED}
 * @param newVersion the version after the mutation, {@code null} for {@link Action#DELETED}
 * @param actor who made the change, when the caller named one
 * @param correlationId the correlation id of the request that made the change, when known
 * @param traceId the trace id of the request that made the change, when known
 * @param timestamp when the change was made
 */
public record StateAuditRecord(long id, Action action, String namespace, String key, @Nullable Long oldVersion,
		@Nullable Long newVersion, @Nullable String actor, @Nullable String correlationId, @Nullable String traceId,
		Instant timestamp) {

	/**
	 * The kinds of mutation.
	 */
	public enum Action {

		/**
		 * A key was created.
		 */
		CREATED,

		/**
		 * A key's document was replaced.
		 */
		UPDATED,

		/**
		 * A key was deleted.
		 */
		DELETED,

		/**
		 * A lease was acquired: the key is the lease's name, the actor its new holder and the
		 * versions the fencing tokens before and after.
		 */
		ACQUIRED,

		/**
		 * A lease was released by its holder before it expired: the key is the lease's name,
		 * the actor its holder and both versions its fencing token.
		 */
		RELEASED

	}

}
