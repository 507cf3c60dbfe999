package dev.clambake.shutdown;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * A step of Clambake's shutdown sequence: every bean implementing it runs once, after the web
 * server has finished its graceful shutdown and before any bean is destroyed, in ascending
 * {@link #getOrder() order}, each on its own thread and bounded by its {@link #getTimeout()
 * timeout}. A hook that fails or hangs is logged and abandoned, and the later hooks still run.
 * <p>
 * The order bands below place a hook relative to Clambake's own step,
 * {@link #ORDER_TRACKED_WORK}, which waits for {@link InFlightWork tracked work}:
 * <pre class="code">
 * &#64;Bean
 * ShutdownHook closeStore(StateStore store) {
 *     return ShutdownHook.of("state store", ShutdownHook.ORDER_STATE_STORE, Duration.ofSeconds(5), store::close);
 * }
 * </pre>
 */
public interface ShutdownHook extends Ordered {

	/**
	 * Order band for hooks that stop taking in new work (message consumers, pollers), so the
	 * tracked work they started can then finish.
	 */
	int ORDER_STOP_CONSUMERS = 1000;

	/**
	 * Order of Clambake's own step that waits up to {@code clambake.shutdown.work-timeout} for
	 * tracked work and names what it abandons.
	 */
	int ORDER_TRACKED_WORK = 2000;

	/**
	 * Order of a hook that does not choose one: after tracked work has finished.
	 */
	int ORDER_DEFAULT = 3000;

	/**
	 * Order band for hooks that flush telemetry (metrics, traces, logs) recorded by the work
	 * above.
	 */
	int ORDER_FLUSH_TELEMETRY = 4000;

	/**
	 * Order band for closing the state store: last, once nothing writes to it any more.
	 */
	int ORDER_STATE_STORE = 5000;

	/**
	 * Do this hook's work. Called once, on a thread of its own, which is interrupted when the
	 * hook is abandoned at its timeout.
	 * @throws Exception if the work fails; it is logged and the sequence goes on
	 */
	void run() throws Exception;

	/**
	 * Return the name this hook has in the shutdown log and metrics.
	 * @return the hook's name
	 */
	default String getName() {
		String name = getClass().getSimpleName();
		return name.isEmpty() ? getClass().getName() : name;
	}

	/**
	 * Return the position of this hook in the sequence, lowest first.
	 * @return the order, {@link #ORDER_DEFAULT} unless overridden
	 */
	@Override
	default int getOrder() {
		return ORDER_DEFAULT;
	}

	/**
	 * Return how long this hook may run before it is abandoned.
	 * @return the timeout, or {@code null} for {@code clambake.shutdown.hook-timeout}
	 */
	default @Nullable Duration getTimeout() {
		return null;
	}

	/**
	 * Create a hook from a name, an order, a timeout and the work to do.
	 * @param name the hook's name in the log and metrics
	 * @param order the position in the sequence, lowest first
	 * @param timeout how long the hook may run, or {@code null} for the default
	 * @param action the work to do
	 * @return the hook
	 */
	static ShutdownHook of(String name, int order, @Nullable Duration timeout, Action action) {
		return new ShutdownHook() {

			@Override
			public void run() throws Exception {
				action.run();
			}

			@Override
			public String getName() {
				return name;
			}

			@Override
			public int getOrder() {
				return order;
			}

			@Override
			public @Nullable Duration getTimeout() {
				return timeout;
			}

			@Override
			public String toString() {
				return "ShutdownHook '" + name + "'";
			}

		};
	}

	/**
	 * The work of a hook created with {@link ShutdownHook#of}.
	 */
	@FunctionalInterface
	interface Action {

		/**
		 * Do the work.
		 * @throws Exception if the work fails
		 */
		void run() throws Exception;

	}

}
