package dev.clambake.health;

/**
 * Work that must run before the application takes traffic: filling caches, opening
 * connections, exercising code paths so the JIT compiles them. Declare one as a bean;
 * readiness stays {@code OUT_OF_SERVICE} until every {@code WarmUp} bean has returned or
 * {@code clambake.health.warm-up.timeout} is spent. The beans run one after another on a
 * thread of their own, after the web server has started, so they may call the application's
 * own endpoints; a {@code WarmUp} that throws ends warm-up as failed and the application
 * turns ready anyway. When the budget is spent the thread is interrupted.
 */
@FunctionalInterface
public interface WarmUp {

	/**
	 * Do the warm-up work.
	 * @throws Exception if warm-up fails; logged, shown in the summary, and readiness opens
	 */
	void warmUp() throws Exception;

}
