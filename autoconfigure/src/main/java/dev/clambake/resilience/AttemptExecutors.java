package dev.clambake.resilience;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;

/**
 * The threads blocking clients run their exchanges on, so that a time limiter can abandon a
 * hanging one: one pool per bulkhead, never more threads than the bulkhead's
 * {@code max-concurrent-calls}, on daemon threads named {@code clambake-http-<bulkhead>-<n>}.
 * <p>
 * A caller takes the bulkhead's permit before it hands its exchange over and the permit goes
 * back when the exchange's thread is done with it (see {@link ResilientHttpInterceptor}), so
 * a pool never holds more running exchanges than it has threads; its queue only bridges the
 * moment between a thread releasing its permit and taking the next exchange. Idle threads
 * end after {@link #KEEP_ALIVE_SECONDS}.
 */
final class AttemptExecutors {

	static final long KEEP_ALIVE_SECONDS = 30;

	private final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();

	/**
	 * Return the pool of that bulkhead, sized by its {@code max-concurrent-calls} when first
	 * asked for.
	 */
	ExecutorService forBulkhead(Bulkhead bulkhead) {
		return this.executors.computeIfAbsent(bulkhead.getName(),
				(name) -> newExecutor(name, bulkhead.getBulkheadConfig().getMaxConcurrentCalls()));
	}

	/**
	 * Stop every pool, interrupting the exchanges still running.
	 */
	void shutdownNow() {
		this.executors.values().forEach(ExecutorService::shutdownNow);
	}

	private static ExecutorService newExecutor(String bulkhead, int maxThreads) {
		int threads = Math.max(1, maxThreads);
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), new DaemonThreads("clambake-http-" + bulkhead + "-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	private static final class DaemonThreads implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		DaemonThreads(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
