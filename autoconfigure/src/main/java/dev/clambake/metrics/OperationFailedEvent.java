package dev.clambake.metrics;

import java.time.Duration;
import java.util.Map;

/**
 * An observed operation finished with an error.
 */
public final class OperationFailedEvent extends OperationEvent {

	private final Duration duration;

	private final Throwable error;

	OperationFailedEvent(Object source, String operation, Map<String, String> tags, Duration duration,
			Throwable error) {
		super(source, operation, tags);
		this.duration = duration;
		this.error = error;
	}

	/**
	 * Return how long the operation took.
	 * @return the duration
	 */
	public Duration getDuration() {
		return this.duration;
	}

	/**
	 * Return the error the operation ended with.
	 * @return the error
	 */
	public Throwable getError() {
		return this.error;
	}

}
