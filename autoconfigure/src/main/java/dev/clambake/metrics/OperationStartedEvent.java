package dev.clambake.metrics;

import java.util.Map;

/**
 * An observed operation started.
 */
public final class OperationStartedEvent extends OperationEvent {

	OperationStartedEvent(Object source, String operation, Map<String, String> tags) {
		super(source, operation, tags);
	}

}
