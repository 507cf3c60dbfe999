package dev.clambake.shutdown;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Tracks work that is not an HTTP request (background jobs, batches, queued tasks) so that
 * shutdown waits for it, up to {@code clambake.shutdown.work-timeout}, and names what it
 * abandons:
 * <pre class="code">
 * try (InFlightWork.Work work = inFlightWork.begin("bundle")) {
 *     // the unit of work
 * }
 * </pre>
 * Once shutdown has begun, {@link #begin(String)} and tracked executors refuse new work with a
 * {@link ShutdownRefusedException}, so nothing is started that the process would then lose.
 */
public final class InFlightWork {

	private final Clock clock;

	private final Object monitor = new Object();

	private final Set<Work> running = new LinkedHashSet<>();

	private @Nullable Instant refusingSince;

	// Running count by name, for the in-flight gauge; names are the code's, so few
	private final Map<String, AtomicInteger> countsByName = new ConcurrentHashMap<>();

	private final List<Consumer<String>> nameListeners = new CopyOnWriteArrayList<>();

	/**
	 * Create a tracker using the system clock.
	 */
	public InFlightWork() {
		this(Clock.systemUTC());
	}

	InFlightWork(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Start tracking a unit of work; close the returned handle when it is done.
	 * @param name what the work is, as the shutdown log should name it
	 * @return the handle to close when the work is done
	 * @throws ShutdownRefusedException if shutdown has already begun
	 */
	public Work begin(String name) {
		Assert.hasText(name, "Work name must not be empty");
		synchronized (this.monitor) {
			if (this.refusingSince != null) {
				throw refused(name, this.refusingSince);
			}
			Work work = new Work(name, this.clock.instant());
			this.running.add(work);
			count(name).incrementAndGet();
			return work;
		}
	}

	/**
	 * Wrap an executor so that each task counts as tracked work from the moment it is
	 * submitted until it has run: shutdown waits for queued tasks too, and tasks submitted after
	 * shutdown began are refused with a {@link ShutdownRefusedException}.
	 * @param name the name tasks of this executor have in the shutdown log
	 * @param delegate the executor that runs the tasks
	 * @return the tracking executor
	 */
	public Executor executor(String name, Executor delegate) {
		Assert.hasText(name, "Work name must not be empty");
		return (task) -> {
			Work work = begin(name);
			try {
				delegate.execute(() -> {
					try (work) {
						task.run();
					}
				});
			}
			catch (RuntimeException | Error ex) {
				// Rejected by the delegate: the task will never run, so it is not in flight
				work.close();
				throw ex;
			}
		};
	}

	/**
	 * Return whether new work is still accepted.
	 * @return {@code false} once shutdown has begun
	 */
	public boolean isAccepting() {
		synchronized (this.monitor) {
			return this.refusingSince == null;
		}
	}

	/**
	 * Return the work running now, oldest first.
	 * @return a snapshot of the running work
	 */
	public List<Work> running() {
		synchronized (this.monitor) {
			List<Work> snapshot = new ArrayList<>(this.running);
			snapshot.sort(Comparator.comparing(Work::started));
			return snapshot;
		}
	}

	/**
	 * Refuse every unit of work started from now on.
	 */
	void refuseNew() {
		synchronized (this.monitor) {
			if (this.refusingSince == null) {
				this.refusingSince = this.clock.instant();
			}
		}
	}

	/**
	 * Wait until no tracked work runs, or the timeout passes.
	 * @param timeout the longest wait
	 * @return the work still running when the wait ended, empty when all finished
	 * @throws InterruptedException if interrupted while waiting
	 */
	List<Work> awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			while (!this.running.isEmpty()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					break;
				}
				// wait(millis, nanos) rounds up; avoid wait(0), which would block forever
				this.monitor.wait(Math.max(1, remaining / 1_000_000));
			}
		}
		return running();
	}

	/**
	 * Return how many units of work of that name run now.
	 * @param name the work's name
	 * @return the count, {@code 0} for a name never begun
	 */
	public int running(String name) {
		AtomicInteger count = this.countsByName.get(name);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Be told each name work is begun under, once: the names begun so far at once, later ones
	 * as they are first begun. The in-flight gauge registers a series per name this way.
	 * @param listener told each name
	 */
	public void onEachName(Consumer<String> listener) {
		synchronized (this.monitor) {
			this.nameListeners.add(listener);
			this.countsByName.keySet().forEach(listener);
		}
	}

	private AtomicInteger count(String name) {
		AtomicInteger count = this.countsByName.get(name);
		if (count == null) {
			count = new AtomicInteger();
			this.countsByName.put(name, count);
			for (Consumer<String> listener : this.nameListeners) {
				listener.accept(name);
			}
		}
		return count;
	}

	private void finished(Work work) {
		synchronized (this.monitor) {
			if (this.running.remove(work)) {
				count(work.name()).decrementAndGet();
				this.monitor.notifyAll();
			}
		}
	}

	private ShutdownRefusedException refused(String name, Instant since) {
		long ago = Duration.between(since, this.clock.instant()).toMillis();
		return new ShutdownRefusedException(name, "Work '" + name + "' refused: shutdown began " + ago
				+ "ms ago and tracked work is no longer accepted, so it would be lost when the process exits");
	}

	/**
	 * A running unit of tracked work; {@link #close() closing} it marks it done. Closing twice
	 * is harmless.
	 */
	public final class Work implements AutoCloseable {

		private final String name;

		private final Instant started;

		private Work(String name, Instant started) {
			this.name = name;
			this.started = started;
		}

		/**
		 * Return the name the work was started with.
		 * @return the work's name
		 */
		public String name() {
			return this.name;
		}

		/**
		 * Return when the work started.
		 * @return the start time
		 */
		public Instant started() {
			return this.started;
		}

		/**
		 * Mark the work done.
		 */
		@Override
		public void close() {
			finished(this);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
