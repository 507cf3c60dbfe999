package dev.clambake.metrics;

import java.util.Map;

import org.springframework.context.ApplicationEvent;

/**
 * Something happened to an observed operation (an HTTP request served or sent, an
 * {@code @Observed} method, a block run through {@link Operations}). Listen with
 * {@code @EventListener} for this type or one of its subclasses.
 */
public abstract sealed class OperationEvent extends ApplicationEvent
		permits OperationStartedEvent, OperationCompletedEvent, OperationFailedEvent, SlowOperationEvent {

	private final String operation;

	private final Map<String, String> tags;

	OperationEvent(Object source, String operation, Map<String, String> tags) {
		super(source);
		this.operation = operation;
		this.tags = tags;
	}

	/**
	 * Return the operation's name, for example {@code http.server.requests}.
	 * @return the name
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * Return the operation's low-cardinality tags (for HTTP: method, uri template, status,
	 * outcome) as they were when the event was published.
	 * @return the tags
	 */
	public Map<String, String> getTags() {
		return this.tags;
	}

}
