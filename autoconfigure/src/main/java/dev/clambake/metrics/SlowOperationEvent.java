package dev.clambake.metrics;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An observed operation took longer than its slow threshold
 * ({@code clambake.observability.slow-threshold} or
 * {@code clambake.observability.slow-thresholds.<name>}).
 */
public final class SlowOperationEvent extends OperationEvent {

	private final Duration duration;

	private final Duration threshold;

	private final @Nullable String traceId;

	SlowOperationEvent(Object source, String operation, Map<String, String> tags, Duration duration,
			Duration threshold, @Nullable String traceId) {
		super(source, operation, tags);
		this.duration = duration;
		this.threshold = threshold;
		this.traceId = traceId;
	}

	/**
	 * Return how long the operation took.
	 * @return the duration
	 */
	public Duration getDuration() {
		return this.duration;
	}

	/**
	 * Return the threshold the operation exceeded.
	 * @return the threshold
	 */
	public Duration getThreshold() {
		return this.threshold;
	}

	/**
	 * Return the trace id of the operation, when tracing is on.
	 * @return the trace id or {@code null}
	 */
	public @Nullable String getTraceId() {
		return this.traceId;
	}

}
