package dev.clambake.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import dev.clambake.resilience.ClambakeHttpClientsProperties.Client;

/**
 * The rate-limit gate of each named HTTP client, one per name, so a client's
 * {@code RestClient} and {@code WebClient} share what the upstream said; and the periodic INFO
 * summary of the clients that ask for one ({@code rate-limit.summary-interval}), logged by one
 * daemon thread that exists only while one is asked for.
 */
public final class RateLimitGates implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog("clambake.http.rate-limit");

	private final Map<String, Client> properties;

	private final Clock clock;

	private final RateLimitGate.Sleeper sleeper;

	private final Map<String, RateLimitGate> gates = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService summaries;

	/**
	 * Create the gates of the configured clients.
	 * @param properties the clients' properties by name
	 */
	public RateLimitGates(Map<String, Client> properties) {
		this(properties, Clock.systemUTC(), RateLimitGate.Sleeper.THREAD);
	}

	RateLimitGates(Map<String, Client> properties, Clock clock, RateLimitGate.Sleeper sleeper) {
		this.properties = properties;
		this.clock = clock;
		this.sleeper = sleeper;
	}

	RateLimitGate forClient(String name, Client client) {
		return this.gates.computeIfAbsent(name,
				(key) -> new RateLimitGate(key, client.getRateLimit(), client.getMaxRetryAfter(), this.clock,
						this.sleeper));
	}

	/**
	 * Log one client's summary now, as the periodic summary does.
	 * @param name the client's name
	 */
	void logSummary(String name) {
		RateLimitGate gate = this.gates.get(name);
		if (gate != null) {
			logger.info(gate.summary());
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = null;
		for (Map.Entry<String, Client> entry : this.properties.entrySet()) {
			Duration interval = entry.getValue().getRateLimit().getSummaryInterval();
			if (interval == null) {
				continue;
			}
			if (executor == null) {
				executor = Executors.newSingleThreadScheduledExecutor((task) -> {
					Thread thread = new Thread(task, "clambake-rate-limit-summary");
					thread.setDaemon(true);
					return thread;
				});
			}
			String name = entry.getKey();
			forClient(name, entry.getValue());
			executor.scheduleAtFixedRate(() -> logSummary(name), interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		this.summaries = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.summaries;
		if (executor != null) {
			executor.shutdownNow();
			this.summaries = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.summaries != null;
	}

	/**
	 * Whether the summary thread runs.
	 * @return {@code true} when a client asked for a periodic summary
	 */
	boolean summarizing() {
		return this.summaries != null;
	}

}
