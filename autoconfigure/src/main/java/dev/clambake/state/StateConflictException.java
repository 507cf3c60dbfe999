package dev.clambake.state;

/**
 * A write found a different version than the one it expected: the key already exists on
 * create, or was changed or deleted since the caller read it.
 */
public class StateConflictException extends RuntimeException {

	private final String namespace;

	private final String key;

	private final long currentVersion;

	public StateConflictException(String namespace, String key, long expectedVersion, long currentVersion) {
		super(message(namespace, key, expectedVersion, currentVersion));
		this.namespace = namespace;
		this.key = key;
		this.currentVersion = currentVersion;
	}

	private static String message(String namespace, String key, long expectedVersion, long currentVersion) {
		String expected = (expectedVersion == 0) ? "no existing key" : "version " + expectedVersion;
		String current = (currentVersion == 0) ? "the key does not exist" : "its current version is " + currentVersion;
		return "Conflict on '" + namespace + "/" + key + "': expected " + expected + " but " + current;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public String getKey() {
		return this.key;
	}

	/**
	 * Return the key's version when the conflict was found.
	 * @return the current version, or 0 when the key does not exist
	 */
	public long getCurrentVersion() {
		return this.currentVersion;
	}

	/**
	 * Return whether the key did not exist when the conflict was found.
	 * @return whether the current version is 0
	 */
	public boolean isMissing() {
		return this.currentVersion == 0;
	}

}
