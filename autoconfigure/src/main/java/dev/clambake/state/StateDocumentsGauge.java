package dev.clambake.state;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * The gauge {@value #NAME}: the state store's records per namespace, counted by one daemon
 * thread ({@code clambake-state-documents}) at a fixed interval, never per scrape, so a scrape
 * never waits on the database. A namespace that empties reads {@code 0}; a count that fails
 * (the database is unavailable) keeps the last values and logs at DEBUG.
 */
public class StateDocumentsGauge implements SmartLifecycle {

	/**
	 * The gauge's name.
	 */
	public static final String NAME = "clambake.state.documents";

	private static final Log logger = LogFactory.getLog(StateDocumentsGauge.class);

	private final ObjectProvider<StateStore> store;

	private final MeterRegistry registry;

	private final Duration interval;

	private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Create a gauge.
	 * @param store the store counted, when it is Clambake's {@link JdbcStateStore}
	 * @param registry where the gauge is registered
	 * @param interval how often the records are counted
	 */
	public StateDocumentsGauge(ObjectProvider<StateStore> store, MeterRegistry registry, Duration interval) {
		this.store = store;
		this.registry = registry;
		this.interval = interval;
	}

	/**
	 * Count the records now and update the gauge.
	 */
	public void sample() {
		if (!(this.store.getIfAvailable() instanceof JdbcStateStore jdbc)) {
			return;
		}
		Map<String, Long> current;
		try {
			current = jdbc.countByNamespace();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not count the state store's records: " + ex);
			return;
		}
		current.forEach((namespace, count) -> this.counts.computeIfAbsent(namespace, this::register).set(count));
		this.counts.forEach((namespace, count) -> {
			if (!current.containsKey(namespace)) {
				count.set(0);
			}
		});
	}

	private AtomicLong register(String namespace) {
		AtomicLong count = new AtomicLong();
		Gauge.builder(NAME, count, AtomicLong::get)
			.description("Records in the state store by namespace, counted at an interval")
			.tag("namespace", namespace)
			.register(this.registry);
		return count;
	}

	@Override
	public void start() {
		if (!(this.store.getIfAvailable() instanceof JdbcStateStore)) {
			// An application's own store: nothing Clambake knows how to count
			return;
		}
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "clambake-state-documents");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.scheduleWithFixedDelay(this::sample, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.executor;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
