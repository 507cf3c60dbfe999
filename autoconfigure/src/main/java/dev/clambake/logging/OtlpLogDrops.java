package dev.clambake.logging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many log records the OTLP batch processor dropped because its queue
 * ({@code management.opentelemetry.logging.export.max-queue-size}) was full: logging never
 * blocks on the exporter, and what it drops is counted, as
 * {@code clambake.logging.otlp.dropped} when Micrometer is present.
 */
public final class OtlpLogDrops {

	/**
	 * The counter's name.
	 */
	public static final String COUNTER_NAME = "clambake.logging.otlp.dropped";

	private final AtomicLong dropped = new AtomicLong();

	/**
	 * Return the log records dropped so far.
	 * @return the count
	 */
	public long count() {
		return this.dropped.get();
	}

	void add(long count) {
		this.dropped.addAndGet(count);
	}

}
