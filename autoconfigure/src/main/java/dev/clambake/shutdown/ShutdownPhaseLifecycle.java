package dev.clambake.shutdown;

import org.springframework.context.SmartLifecycle;

/**
 * Runs one step of the {@link ShutdownSequence} when Spring stops its lifecycle phase: the drain
 * in {@link ShutdownSequence#DRAIN_PHASE}, before Spring Boot's graceful shutdown of the web
 * server, and the hooks with the wait for tracked work in {@link ShutdownSequence#HOOKS_PHASE},
 * once the web server has stopped and before any bean is destroyed. Its stop blocks the closing
 * thread, so {@code spring.lifecycle.timeout-per-shutdown-phase} does not cut a step short; each
 * step is bounded by its own timeout.
 */
final class ShutdownPhaseLifecycle implements SmartLifecycle {

	private final ShutdownSequence sequence;

	private final int phase;

	private final Runnable step;

	private volatile boolean running;

	private ShutdownPhaseLifecycle(ShutdownSequence sequence, int phase, Runnable step) {
		this.sequence = sequence;
		this.phase = phase;
		this.step = step;
	}

	static ShutdownPhaseLifecycle drain(ShutdownSequence sequence) {
		return new ShutdownPhaseLifecycle(sequence, ShutdownSequence.DRAIN_PHASE, sequence::drain);
	}

	static ShutdownPhaseLifecycle hooks(ShutdownSequence sequence) {
		return new ShutdownPhaseLifecycle(sequence, ShutdownSequence.HOOKS_PHASE, sequence::runHooks);
	}

	@Override
	public void start() {
		this.sequence.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.step.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

}
