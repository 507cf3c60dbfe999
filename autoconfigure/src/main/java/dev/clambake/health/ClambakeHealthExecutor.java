package dev.clambake.health;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;

/**
 * The small, bounded pool that runs health checks: daemon threads named
 * {@code clambake-health-N}, idle ones let go after a while, all stopped with the context.
 * Deliberately not a {@link java.util.concurrent.Executor} bean, so Spring Boot's own task
 * executor does not back off.
 */
public final class ClambakeHealthExecutor implements DisposableBean {

	private static final int QUEUE_CAPACITY = 1024;

	private final ThreadPoolExecutor pool;

	/**
	 * Create a pool of at most {@code maxThreads} threads.
	 * @param maxThreads the largest number of checks running at once
	 */
	public ClambakeHealthExecutor(int maxThreads) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "clambake-health-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(QUEUE_CAPACITY), threads);
		this.pool.allowCoreThreadTimeOut(true);
	}

	/**
	 * Run a check.
	 * @param check the check
	 * @throws java.util.concurrent.RejectedExecutionException when the pool is full or stopped
	 */
	public void execute(Runnable check) {
		this.pool.execute(check);
	}

	/**
	 * Return how many threads the pool has now.
	 * @return the pool's size
	 */
	public int getPoolSize() {
		return this.pool.getPoolSize();
	}

	@Override
	public void destroy() {
		// Checks may be stuck in I/O that ignores interrupts; the threads are daemons.
		this.pool.shutdownNow();
	}

}
