package dev.clambake.metrics;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Times a block of application code as an observation: a timer (and a span when tracing is
 * on) named after the operation, slow-operation detection and lifecycle events, exactly as
 * for an {@code @Observed} method.
 *
 * <pre>{@code
 * Invoice invoice = operations.observe("invoice.render", () -> renderer.render(order));
 * operations.run("cache.warm-up", "cache", "products", () -> cache.warmUp());
 * }</pre>
 */
public class Operations {

	private final ObservationRegistry registry;

	/**
	 * Create an instance observing through the given registry.
	 * @param registry the observation registry
	 */
	public Operations(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Run the work as the named operation and return its result.
	 * @param <T> the result type
	 * @param name the operation's name, a low-cardinality constant such as {@code invoice.render}
	 * @param work the work
	 * @return what the work returned
	 */
	public <T extends @Nullable Object> T observe(String name, Supplier<T> work) {
		return Observation.createNotStarted(name, this.registry).observe(work);
	}

	/**
	 * Run the work as the named operation with one low-cardinality tag.
	 * @param name the operation's name
	 * @param tagKey the tag's key
	 * @param tagValue the tag's value, one of a small, fixed set
	 * @param work the work
	 */
	public void run(String name, String tagKey, String tagValue, Runnable work) {
		Assert.hasText(tagKey, "'tagKey' must not be empty");
		Observation.createNotStarted(name, this.registry).lowCardinalityKeyValue(tagKey, tagValue).observe(work);
	}

	/**
	 * Run the work as the named operation.
	 * @param name the operation's name
	 * @param work the work
	 */
	public void run(String name, Runnable work) {
		Observation.createNotStarted(name, this.registry).observe(work);
	}

}
