package dev.clambake.shutdown;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown when work is started after shutdown began: the caller learns at once that the work
 * will not run, instead of the work being lost when the process exits.
 * <p>
 * A {@link RejectedExecutionException}, so executors wrapped by
 * {@link InFlightWork#executor(String, java.util.concurrent.Executor)} keep the
 * {@link java.util.concurrent.Executor} contract.
 */
public class ShutdownRefusedException extends RejectedExecutionException {

	private final String workName;

	/**
	 * Create an exception for refused work.
	 * @param workName the name the work was started with
	 * @param message the explanation
	 */
	public ShutdownRefusedException(String workName, String message) {
		super(message);
		this.workName = workName;
	}

	/**
	 * Return the name the refused work was started with.
	 * @return the work's name
	 */
	public String getWorkName() {
		return this.workName;
	}

}
