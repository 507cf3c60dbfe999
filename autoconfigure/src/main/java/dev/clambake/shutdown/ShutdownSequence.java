package dev.clambake.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Clambake's shutdown sequence, logged as a whole under the {@value #LOGGER} logger, each
 * phase with its duration:
 * <ol>
 * <li><b>readiness</b>, on {@link ContextClosedEvent} (before any lifecycle bean stops):
 * readiness becomes {@link ReadinessState#REFUSING_TRAFFIC}, liveness is left alone, and
 * {@link InFlightWork} refuses new work.</li>
 * <li><b>drain</b>, in lifecycle phase {@link #DRAIN_PHASE}, which stops before Spring Boot's
 * web server graceful shutdown phase ({@code SmartLifecycle.DEFAULT_PHASE - 1024}): the server
 * keeps serving normally until {@code clambake.shutdown.drain-delay} has passed since readiness
 * flipped, so load balancers stop routing before the server stops accepting.</li>
 * <li><b>web-server</b>: Spring Boot's graceful shutdown lets in-flight requests finish within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, then the web server stops.</li>
 * <li><b>hooks</b>, in lifecycle phase {@link #HOOKS_PHASE}, after the web server's stop phase
 * ({@code SmartLifecycle.DEFAULT_PHASE - 2048}) and before executors, ordinary lifecycle beans
 * and bean destruction: the {@link ShutdownHook} beans and the wait for tracked work, in
 * order, each bounded by its timeout.</li>
 * </ol>
 */
final class ShutdownSequence implements ApplicationListener<ContextClosedEvent> {

	/**
	 * The logger the whole sequence is logged under.
	 */
	static final String LOGGER = "clambake.shutdown";

	/**
	 * Stops before Spring Boot's graceful shutdown of the web server
	 * ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}, DEFAULT_PHASE - 1024).
	 */
	static final int DRAIN_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/**
	 * Stops after Spring Boot has stopped the web server
	 * ({@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}, DEFAULT_PHASE - 2048),
	 * and well before executors ({@code Integer.MAX_VALUE / 2}) and phase-0 lifecycle beans.
	 */
	static final int HOOKS_PHASE = SmartLifecycle.DEFAULT_PHASE - 2560;

	static final String TRACKED_WORK = "tracked work";

	private static final Log logger = LogFactory.getLog(LOGGER);

	private final ApplicationContext context;

	private final ClambakeShutdownProperties properties;

	private final InFlightWork inFlightWork;


	private final ObjectProvider<ApplicationAvailability> availability;

	private final ShutdownRecorder recorder;

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean began = new AtomicBoolean();

	private final AtomicBoolean hooksRan = new AtomicBoolean();

	private final Map<String, Duration> phases = new LinkedHashMap<>();

	private List<Step> hooks = List.of();

	private volatile long beganAt;

	private volatile long readinessFlippedAt;

	private volatile long drainEndedAt;

	ShutdownSequence(ApplicationContext context, ClambakeShutdownProperties properties, InFlightWork inFlightWork,
			ObjectProvider<ApplicationAvailability> availability, ShutdownRecorder recorder) {
		this.context = context;
		this.properties = properties;
		this.inFlightWork = inFlightWork;
		this.availability = availability;
		this.recorder = recorder;
	}

	/**
	 * Called when the application has started; hooks are resolved now, while beans may still
	 * be created.
	 */
	void start() {
		if (this.started.compareAndSet(false, true)) {
			List<Step> hooks = new ArrayList<>();
			this.context.getBeansOfType(ShutdownHook.class).forEach((beanName, hook) -> {
				// A lambda has no name worth logging: its bean's name is better
				boolean anonymous = hook.getClass().isSynthetic() || hook.getClass().isHidden();
				hooks.add(new Step(anonymous ? beanName : hook.getName(), hook.getOrder(), hook));
			});
			this.hooks = List.copyOf(hooks);
		}
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// Child contexts (a management server on its own port) publish to their parent too
		if (event.getApplicationContext() == this.context && this.started.get()) {
			begin();
		}
	}

	/**
	 * Phase "readiness": flip readiness and refuse new tracked work.
	 */
	void begin() {
		if (!this.began.compareAndSet(false, true)) {
			return;
		}
		this.beganAt = System.nanoTime();
		this.inFlightWork.refuseNew();
		ApplicationAvailability availability = this.availability.getIfAvailable();
		// Spring Boot's web server contexts publish it on close already; do it for every other context
		if (availability == null || availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		}
		// The drain counts from here, once readiness has flipped
		this.readinessFlippedAt = System.nanoTime();
		Duration took = Duration.ofNanos(this.readinessFlippedAt - this.beganAt);
		phase("readiness", took);
		logger.info("Shutdown began; phase readiness: REFUSING_TRAFFIC (liveness unchanged), new tracked work refused ("
				+ this.inFlightWork.running().size() + " running), " + this.hooks.size() + " shutdown hooks; took "
				+ millis(took) + "; next: drain for " + this.properties.getDrainDelay().toMillis()
				+ "ms (clambake.shutdown.drain-delay) while the server keeps serving");
	}

	/**
	 * Phase "drain": keep serving until the drain delay has passed since readiness flipped.
	 */
	void drain() {
		if (!this.began.get()) {
			// The context is stopped, not closed: there is nothing to drain for
			return;
		}
		long start = System.nanoTime();
		long remaining = this.properties.getDrainDelay().toNanos() - (start - this.readinessFlippedAt);
		boolean interrupted = false;
		if (remaining > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(remaining);
			}
			catch (InterruptedException ex) {
				interrupted = true;
				Thread.currentThread().interrupt();
			}
		}
		this.drainEndedAt = System.nanoTime();
		Duration took = since(start);
		phase("drain", took);
		logger.info("Shutdown phase drain: " + (interrupted ? "interrupted after " : "served normally for ")
				+ millis(since(this.readinessFlippedAt)) + " since readiness flipped (clambake.shutdown.drain-delay="
				+ this.properties.getDrainDelay().toMillis() + "ms), phase took " + millis(took)
				+ "; next: web-server, the graceful shutdown lets in-flight requests finish"
				+ " within spring.lifecycle.timeout-per-shutdown-phase");
	}

	/**
	 * Phase "hooks": the shutdown hooks and the wait for tracked work, in order, then the
	 * summary of the whole sequence.
	 */
	void runHooks() {
		if (!this.began.get() || !this.hooksRan.compareAndSet(false, true)) {
			return;
		}
		long start = System.nanoTime();
		long webServerStart = (this.drainEndedAt != 0) ? this.drainEndedAt : this.beganAt;
		Duration webServer = Duration.ofNanos(start - webServerStart);
		phase("web-server", webServer);
		logger.info("Shutdown phase web-server: graceful shutdown and stop took " + millis(webServer));
		List<Step> steps = new ArrayList<>(this.hooks);
		steps.add(new Step(TRACKED_WORK, ShutdownHook.ORDER_TRACKED_WORK, null));
		// Stable: hooks of equal order keep the order Spring gave them
		steps.sort(Comparator.comparingInt(Step::order));
		logger.info("Shutdown phase hooks: running " + steps.stream()
			.map((step) -> step.name() + " (order " + step.order() + ")")
			.collect(Collectors.joining(", ")));
		Tally tally = new Tally();
		boolean interrupted = Thread.interrupted();
		for (Step step : steps) {
			if (step.hook() == null) {
				interrupted |= awaitTrackedWork(tally);
			}
			else {
				interrupted |= runHook(step.name(), step.hook(), tally);
			}
		}
		Duration took = since(start);
		phase("hooks", took);
		Duration total = since(this.beganAt);
		phase("total", total);
		logger.info("Shutdown sequence complete in " + millis(total) + ": " + phasesSummary() + "; hooks "
				+ tally.completed + " completed, " + tally.failed + " failed, " + tally.abandoned
				+ " abandoned; tracked work abandoned: " + tally.abandonedWork);
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean runHook(String name, ShutdownHook hook, Tally tally) {
		Duration hookTimeout = hook.getTimeout();
		Duration timeout = (hookTimeout != null) ? hookTimeout : this.properties.getHookTimeout();
		FutureTask<@Nullable Void> task = new FutureTask<>(() -> {
			hook.run();
			return null;
		});
		// A daemon thread of its own, so a hook that hangs is abandoned without holding up the exit
		Thread thread = new Thread(task, "clambake-shutdown-" + name);
		thread.setDaemon(true);
		long start = System.nanoTime();
		thread.start();
		String outcome;
		boolean interrupted = false;
		try {
			task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			outcome = "completed";
			tally.completed++;
			logger.info("Shutdown hook '" + name + "' (order " + hook.getOrder() + ") completed in "
					+ millis(since(start)));
		}
		catch (TimeoutException ex) {
			task.cancel(true);
			outcome = "abandoned";
			tally.abandoned++;
			logger.warn("Shutdown hook '" + name + "' (order " + hook.getOrder() + ") abandoned at its timeout of "
					+ timeout.toMillis() + "ms; the remaining hooks still run");
		}
		catch (ExecutionException ex) {
			outcome = "failed";
			tally.failed++;
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Shutdown hook '" + name + "' (order " + hook.getOrder() + ") failed after "
					+ millis(since(start)) + ": " + cause + "; the remaining hooks still run", cause);
		}
		catch (InterruptedException ex) {
			task.cancel(true);
			interrupted = true;
			outcome = "abandoned";
			tally.abandoned++;
			logger.warn("Shutdown hook '" + name + "' abandoned: the shutdown thread was interrupted");
		}
		this.recorder.hook(name, outcome, since(start));
		return interrupted;
	}

	private boolean awaitTrackedWork(Tally tally) {
		long start = System.nanoTime();
		Duration timeout = this.properties.getWorkTimeout();
		List<InFlightWork.Work> running = this.inFlightWork.running();
		if (!running.isEmpty()) {
			logger.info("Shutdown step tracked work: waiting up to " + timeout.toMillis()
					+ "ms (clambake.shutdown.work-timeout) for " + running.size() + ": " + names(running));
		}
		List<InFlightWork.Work> left;
		boolean interrupted = false;
		try {
			left = this.inFlightWork.awaitIdle(timeout);
		}
		catch (InterruptedException ex) {
			interrupted = true;
			left = this.inFlightWork.running();
		}
		if (left.isEmpty()) {
			logger.info("Shutdown step tracked work: " + (running.isEmpty() ? "none was running"
					: "all " + running.size() + " finished in " + millis(since(start))));
		}
		else {
			long now = System.currentTimeMillis();
			String abandoned = left.stream()
				.map((work) -> work.name() + " (running for " + (now - work.started().toEpochMilli()) + "ms)")
				.collect(Collectors.joining(", "));
			logger.warn("Shutdown step tracked work: abandoned " + left.size() + " after "
					+ millis(since(start)) + " (clambake.shutdown.work-timeout=" + timeout.toMillis() + "ms): "
					+ abandoned);
		}
		tally.abandonedWork = left.size();
		this.recorder.abandonedWork(left.size());
		return interrupted;
	}

	private void phase(String name, Duration duration) {
		synchronized (this.phases) {
			this.phases.put(name, duration);
		}
		this.recorder.phase(name, duration);
	}

	/**
	 * Return the duration of each phase so far, in the order they ran.
	 * @return the phases and their durations
	 */
	Map<String, Duration> phases() {
		synchronized (this.phases) {
			return new LinkedHashMap<>(this.phases);
		}
	}

	private String phasesSummary() {
		return phases().entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals("total"))
			.map((entry) -> entry.getKey() + " " + millis(entry.getValue()))
			.collect(Collectors.joining(", "));
	}

	private static String names(List<InFlightWork.Work> work) {
		return work.stream().map(InFlightWork.Work::name).collect(Collectors.joining(", "));
	}

	private static Duration since(long nanoTime) {
		return Duration.ofNanos(System.nanoTime() - nanoTime);
	}

	private static String millis(Duration duration) {
		return duration.toMillis() + "ms";
	}

	private record Step(String name, int order, @Nullable ShutdownHook hook) {
	}

	private static final class Tally {

		int completed;

		int failed;

		int abandoned;

		int abandonedWork;

	}

}
