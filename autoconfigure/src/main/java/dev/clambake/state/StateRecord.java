package dev.clambake.state;

import java.time.Instant;

/**
 * One document in the state store.
 *
 * @param namespace the namespace holding the key
 * @param key the key within the namespace
 * @param value the JSON document, as the text that was stored
 * @param version the version, 1 when created and one more on each replace
 * @param createdAt when the key was created
 * @param updatedAt when the document was last written
 */
public record StateRecord(String namespace, String key, String value, long version, Instant createdAt,
		Instant updatedAt) {

}
