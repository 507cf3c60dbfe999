package dev.clambake.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.clambake.config.StartupSummaryContributor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The warm-up gate: once the application has started and its web server listens, runs the
 * {@link WarmUp} beans and then the built-in loopback warm-up
 * ({@code clambake.health.warm-up.requests}, each sent {@code iterations} times), all within
 * {@code clambake.health.warm-up.timeout}.
 * <p>
 * It runs while Spring Boot delivers {@link ApplicationReadyEvent}, before Spring Boot
 * publishes {@code ReadinessState.ACCEPTING_TRAFFIC}: until then readiness and the startup
 * probe answer {@code OUT_OF_SERVICE}, so Kubernetes sends no traffic to a cold replica. The
 * work itself runs on a thread of its own, interrupted when the budget is spent. The outcome
 * (done, budget spent, failed) is logged, added to the start-up summary and shown by the
 * {@code warmUp} health component of the {@code startup} group.
 */
public final class ClambakeWarmUp
		implements ApplicationListener<ApplicationReadyEvent>, Ordered, StartupSummaryContributor, DisposableBean {

	private static final Log logger = LogFactory.getLog(ClambakeWarmUp.class);

	private static final String USER_AGENT = "clambake-warm-up";

	private final List<WarmUp> warmUps;

	private final ClambakeHealthProperties.WarmUpSettings settings;

	private final Environment environment;

	private final AtomicBoolean started = new AtomicBoolean();

	private volatile WarmUpOutcome outcome = WarmUpOutcome.PENDING;

	private volatile @Nullable Thread worker;

	/**
	 * Create the gate.
	 * @param warmUps the application's warm-up beans, run in order
	 * @param settings the budget and the built-in warm-up's requests
	 * @param environment where the web server's port ({@code local.server.port}) is read
	 */
	public ClambakeWarmUp(List<WarmUp> warmUps, ClambakeHealthProperties.WarmUpSettings settings,
			Environment environment) {
		this.warmUps = List.copyOf(warmUps);
		this.settings = settings;
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		// Before the start-up summary and the application's own ready listeners
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	/**
	 * Return how warm-up went so far.
	 * @return the outcome
	 */
	public WarmUpOutcome outcome() {
		return this.outcome;
	}

	/**
	 * Return the budget warm-up runs within.
	 * @return {@code clambake.health.warm-up.timeout}
	 */
	public Duration budget() {
		return this.settings.getTimeout();
	}

	@Override
	public String summary() {
		return "warm-up: " + this.outcome.describe();
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.started.compareAndSet(false, true)) {
			run();
		}
	}

	/**
	 * Run warm-up, returning when it has ended one way or another.
	 */
	void run() {
		this.outcome = WarmUpOutcome.RUNNING;
		long start = System.nanoTime();
		FutureTask<String> task = new FutureTask<>(() -> work(start));
		Thread thread = new Thread(task, "clambake-warm-up");
		thread.setDaemon(true);
		this.worker = thread;
		thread.start();
		WarmUpOutcome.State state;
		String detail;
		try {
			detail = task.get(this.settings.getTimeout().toNanos(), TimeUnit.NANOSECONDS);
			state = WarmUpOutcome.State.DONE;
		}
		catch (TimeoutException ex) {
			thread.interrupt();
			state = WarmUpOutcome.State.BUDGET_SPENT;
			detail = "clambake.health.warm-up.timeout=" + this.settings.getTimeout().toMillis() + "ms ran out";
		}
		catch (ExecutionException ex) {
			state = WarmUpOutcome.State.FAILED;
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			detail = (cause instanceof WarmUpRequestsFailedException) ? cause.getMessage() : cause.toString();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			thread.interrupt();
			state = WarmUpOutcome.State.FAILED;
			detail = "interrupted";
		}
		finally {
			this.worker = null;
		}
		WarmUpOutcome ended = new WarmUpOutcome(state, Instant.now(),
				Duration.ofNanos(System.nanoTime() - start), detail);
		this.outcome = ended;
		if (state == WarmUpOutcome.State.DONE) {
			logger.info("Warm-up " + ended.describe() + "; the application turns ready");
		}
		else {
			logger.warn("Warm-up " + ended.describe() + "; the application turns ready anyway");
		}
	}

	private String work(long start) throws Exception {
		for (WarmUp warmUp : this.warmUps) {
			warmUp.warmUp();
		}
		List<String> done = new ArrayList<>();
		if (!this.warmUps.isEmpty()) {
			done.add(this.warmUps.size() + " WarmUp bean" + ((this.warmUps.size() == 1) ? "" : "s"));
		}
		List<String> paths = this.settings.getRequests();
		if (!paths.isEmpty()) {
			requests(paths, start);
			done.add(paths.size() + " request" + ((paths.size() == 1) ? "" : "s") + " x "
					+ this.settings.getIterations());
		}
		return String.join(", ", done);
	}

	private void requests(List<String> paths, long start) throws InterruptedException {
		String port = this.environment.getProperty("local.server.port");
		if (port == null) {
			throw new WarmUpRequestsFailedException("no web server port (local.server.port) to send warm-up requests to");
		}
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		int failures = 0;
		int total = 0;
		String firstFailure = null;
		for (int i = 0; i < this.settings.getIterations(); i++) {
			for (String path : paths) {
				total++;
				Duration left = this.settings.getTimeout().minusNanos(System.nanoTime() - start);
				HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.timeout(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
					.header("User-Agent", USER_AGENT)
					.build();
				try {
					HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() >= 400) {
						failures++;
						firstFailure = (firstFailure != null) ? firstFailure : "GET " + path + " answered " + response.statusCode();
					}
				}
				catch (IOException ex) {
					failures++;
					firstFailure = (firstFailure != null) ? firstFailure : "GET " + path + " failed: " + ex;
				}
			}
		}
		if (failures > 0) {
			throw new WarmUpRequestsFailedException(failures + " of " + total + " warm-up requests failed, first: " + firstFailure);
		}
	}

	@Override
	public void destroy() {
		Thread thread = this.worker;
		if (thread != null) {
			thread.interrupt();
		}
	}

	/**
	 * Warm-up requests that failed; its message says which.
	 */
	static final class WarmUpRequestsFailedException extends RuntimeException {

		WarmUpRequestsFailedException(String message) {
			super(message);
		}

	}

}
