package dev.clambake.metrics;

import java.time.Duration;
import java.util.Map;

/**
 * An observed operation finished without error.
 */
public final class OperationCompletedEvent extends OperationEvent {

	private final Duration duration;

	OperationCompletedEvent(Object source, String operation, Map<String, String> tags, Duration duration) {
		super(source, operation, tags);
		this.duration = duration;
	}

	/**
	 * Return how long the operation took.
	 * @return the duration
	 */
	public Duration getDuration() {
		return this.duration;
	}

}
