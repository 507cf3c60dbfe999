package dev.clambake.health;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;

/**
 * Liveness that sees a hang: DOWN while the JVM finds threads deadlocked on monitors or
 * {@link java.util.concurrent.locks.Lock locks}, the threads named in the details, and one
 * WARN with their stacks for each distinct deadlock. A deadlock never resolves itself, so a
 * restart is the cure. {@link ThreadMXBean#findDeadlockedThreads()} walks only the lock
 * graph; stacks are read only when a deadlock is found.
 */
public final class DeadlockHealthIndicator implements ProbeStateIndicator {

	private static final Log logger = LogFactory.getLog(DeadlockHealthIndicator.class);

	private final ThreadMXBean threads;

	private final Set<Set<Long>> reported = ConcurrentHashMap.newKeySet();

	/**
	 * Create an indicator reading the platform's {@link ThreadMXBean}.
	 */
	public DeadlockHealthIndicator() {
		this(ManagementFactory.getThreadMXBean());
	}

	DeadlockHealthIndicator(ThreadMXBean threads) {
		this.threads = threads;
	}

	@Override
	public Health health() {
		long[] ids = this.threads.isSynchronizerUsageSupported() ? this.threads.findDeadlockedThreads()
				: this.threads.findMonitorDeadlockedThreads();
		if (ids == null || ids.length == 0) {
			return Health.up().build();
		}
		ThreadInfo[] infos = this.threads.getThreadInfo(ids, this.threads.isObjectMonitorUsageSupported(),
				this.threads.isSynchronizerUsageSupported());
		List<String> named = Arrays.stream(infos).map(DeadlockHealthIndicator::describe).toList();
		Set<Long> key = Arrays.stream(ids).boxed().collect(Collectors.toUnmodifiableSet());
		if (this.reported.add(key)) {
			logger.warn("Deadlocked threads; liveness is DOWN until the application is restarted:\n"
					+ Arrays.stream(infos).map(DeadlockHealthIndicator::stack).collect(Collectors.joining("\n")));
		}
		return Health.down().withDetail("deadlockedThreads", named).build();
	}

	private static String describe(@Nullable ThreadInfo info) {
		if (info == null) {
			return "(ended)";
		}
		LockInfo lock = info.getLockInfo();
		return "'" + info.getThreadName() + "' waits for " + ((lock != null) ? lock.toString() : "a lock")
				+ ((info.getLockOwnerName() != null) ? " held by '" + info.getLockOwnerName() + "'" : "");
	}

	private static String stack(@Nullable ThreadInfo info) {
		if (info == null) {
			return "";
		}
		StringBuilder text = new StringBuilder(describe(info)).append('\n');
		for (StackTraceElement element : info.getStackTrace()) {
			text.append("\tat ").append(element).append('\n');
		}
		return text.toString();
	}

}
