package dev.clambake.state;

/**
 * The state store's database could not be reached, did not answer in time or refused writes
 * (read-only); trying again once the fault clears may succeed. Clambake answers it with
 * {@code 503 Service Unavailable} and {@code Retry-After} in web applications.
 */
public class StateStoreUnavailableException extends StateStoreException {

	public StateStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

	public StateStoreUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
		super(message, cause, outcomeUnknown);
	}

}
