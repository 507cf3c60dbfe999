package dev.clambake.state;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Durable namespaced JSON documents with optimistic versioning and an audit trail.
 * <p>
 * Namespaces are 1 to 64 characters of {@code a-z 0-9 . _ -}, starting with a letter or digit;
 * keys are 1 to 256 characters of {@code A-Z a-z 0-9 . _ - : @ /}. Values must be JSON and no
 * larger than {@code clambake.state.max-value-size}. Invalid input is rejected with an
 * {@link IllegalArgumentException}. Every mutation writes a {@link StateAuditRecord} in its own
 * transaction; the actor, when given, is recorded with the correlation and trace ids found in
 * the SLF4J MDC under {@code correlationId} and {@code traceId}.
 */
public interface StateStore {

	/**
	 * Return the document at a key.
	 * @param namespace the namespace
	 * @param key the key
	 * @return the record, or empty when the key does not exist
	 */
	Optional<StateRecord> get(String namespace, String key);

	/**
	 * Create a key that does not exist yet, at version 1.
	 * @param namespace the namespace
	 * @param key the key
	 * @param json the JSON document
	 * @param actor who makes the change, or {@code null}
	 * @return the created record
	 * @throws StateConflictException when the key exists, carrying its current version
	 */
	StateRecord create(String namespace, String key, String json, @Nullable String actor);

	/**
	 * Replace the document at a key if its version is still the expected one (compare-and-set).
	 * @param namespace the namespace
	 * @param key the key
	 * @param json the new JSON document
	 * @param expectedVersion the version the caller read
	 * @param actor who makes the change, or {@code null}
	 * @return the record with its new version
	 * @throws StateConflictException when the version differs or the key does not exist (current version 0)
	 */
	StateRecord replace(String namespace, String key, String json, long expectedVersion, @Nullable String actor);

	/**
	 * Delete a key if its version is still the expected one.
	 * @param namespace the namespace
	 * @param key the key
	 * @param expectedVersion the version the caller read
	 * @param actor who makes the change, or {@code null}
	 * @throws StateConflictException when the version differs or the key does not exist (current version 0)
	 */
	void delete(String namespace, String key, long expectedVersion, @Nullable String actor);

	/**
	 * List the documents of a namespace whose keys start with a prefix, in key order.
	 * @param namespace the namespace
	 * @param keyPrefix the prefix, empty for every key
	 * @param pageToken the {@link StatePage#nextPageToken()} of the previous page, or {@code null} for the first
	 * @param pageSize how many records a page holds at most, 1 to 1000
	 * @return the page
	 */
	StatePage<StateRecord> list(String namespace, String keyPrefix, @Nullable String pageToken, int pageSize);

	/**
	 * List the audit trail of a namespace, or of one key, oldest first.
	 * @param namespace the namespace
	 * @param key the key, or {@code null} for the whole namespace
	 * @param pageToken the {@link StatePage#nextPageToken()} of the previous page, or {@code null} for the first
	 * @param pageSize how many records a page holds at most, 1 to 1000
	 * @return the page
	 */
	StatePage<StateAuditRecord> audit(String namespace, @Nullable String key, @Nullable String pageToken,
			int pageSize);

	/**
	 * Create a key, as {@link #create(String, String, String, String)} does, only if the fence's
	 * lease is still held by its holder with its token, checked by the database's clock in the
	 * write's own transaction.
	 * @param namespace the namespace
	 * @param key the key
	 * @param json the JSON document
	 * @param actor who makes the change, or {@code null}
	 * @param fence the lease acquisition the write depends on
	 * @return the created record
	 * @throws FencedWriteRefusedException when the lease has expired or passed to another holder
	 * @throws StateConflictException when the key exists
	 */
	default StateRecord create(String namespace, String key, String json, @Nullable String actor, StateFence fence) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support fenced writes");
	}

	/**
	 * Replace a document, as {@link #replace(String, String, String, long, String)} does, only if
	 * the fence's lease is still held by its holder with its token, checked by the database's
	 * clock in the write's own transaction.
	 * @param namespace the namespace
	 * @param key the key
	 * @param json the new JSON document
	 * @param expectedVersion the version the caller read
	 * @param actor who makes the change, or {@code null}
	 * @param fence the lease acquisition the write depends on
	 * @return the record with its new version
	 * @throws FencedWriteRefusedException when the lease has expired or passed to another holder
	 * @throws StateConflictException when the version differs or the key does not exist
	 */
	default StateRecord replace(String namespace, String key, String json, long expectedVersion,
			@Nullable String actor, StateFence fence) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support fenced writes");
	}

	/**
	 * Delete a key, as {@link #delete(String, String, long, String)} does, only if the fence's
	 * lease is still held by its holder with its token, checked by the database's clock in the
	 * write's own transaction.
	 * @param namespace the namespace
	 * @param key the key
	 * @param expectedVersion the version the caller read
	 * @param actor who makes the change, or {@code null}
	 * @param fence the lease acquisition the write depends on
	 * @throws FencedWriteRefusedException when the lease has expired or passed to another holder
	 * @throws StateConflictException when the version differs or the key does not exist
	 */
	default void delete(String namespace, String key, long expectedVersion, @Nullable String actor,
			StateFence fence) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support fenced writes");
	}

	default StateRecord create(String namespace, String key, String json) {
		return create(namespace, key, json, null);
	}

	default StateRecord replace(String namespace, String key, String json, long expectedVersion) {
		return replace(namespace, key, json, expectedVersion, null);
	}

	default void delete(String namespace, String key, long expectedVersion) {
		delete(namespace, key, expectedVersion, null);
	}

}
