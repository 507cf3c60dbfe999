package dev.clambake.health;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests that hold a request thread right now, with when they started: one map entry
 * per request, added and removed by a filter, read only by the stuck-request check.
 */
final class InFlightRequests {

	private final Map<Object, Held> held = new ConcurrentHashMap<>();

	/**
	 * Record that the current thread started serving a request.
	 * @return the token that ends it
	 */
	Object start(String request) {
		Object token = new Object();
		this.held.put(token, new Held(request, Thread.currentThread().getName(), System.nanoTime()));
		return token;
	}

	void end(Object token) {
		this.held.remove(token);
	}

	/**
	 * Return the requests held longer than the given bound, longest first.
	 */
	List<Held> heldLongerThan(Duration bound) {
		long now = System.nanoTime();
		return this.held.values()
			.stream()
			.filter((held) -> now - held.startNanos() > bound.toNanos())
			.sorted(Comparator.comparingLong(Held::startNanos))
			.toList();
	}

	/**
	 * One request in flight.
	 *
	 * @param request the method and path, without the query
	 * @param thread the name of the thread serving it
	 * @param startNanos when it started, on the {@link System#nanoTime()} scale
	 */
	record Held(String request, String thread, long startNanos) {

		Duration age() {
			return Duration.ofNanos(System.nanoTime() - this.startNanos);
		}

	}

}
