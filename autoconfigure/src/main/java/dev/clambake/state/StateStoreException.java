package dev.clambake.state;

/**
 * The state store could not complete an operation; a write that fails with this exception was
 * not committed unless {@link #isOutcomeUnknown()} says the database may have committed it.
 */
public class StateStoreException extends RuntimeException {

	private final boolean outcomeUnknown;

	public StateStoreException(String message, Throwable cause) {
		this(message, cause, false);
	}

	public StateStoreException(String message, Throwable cause, boolean outcomeUnknown) {
		super(message, cause);
		this.outcomeUnknown = outcomeUnknown;
	}

	public StateStoreException(String message) {
		super(message);
		this.outcomeUnknown = false;
	}

	/**
	 * Return whether the connection failed while committing, so the write may have been
	 * committed even though the store could not confirm it.
	 * @return whether the outcome of the write is unknown
	 */
	public boolean isOutcomeUnknown() {
		return this.outcomeUnknown;
	}

}
