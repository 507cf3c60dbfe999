package dev.clambake.state;

/**
 * The database stayed busy or locked through every retry the store was configured to make;
 * nothing was written.
 */
public class StateStoreBusyException extends StateStoreException {

	private final int attempts;

	public StateStoreBusyException(String operation, int attempts, Throwable cause) {
		super("State store operation '" + operation + "' gave up after " + attempts
				+ " attempts: the database stayed busy or locked (nothing was written); see clambake.state.busy-retry.*"
				+ " and clambake.state.sqlite.busy-timeout", cause);
		this.attempts = attempts;
	}

	public int getAttempts() {
		return this.attempts;
	}

}
