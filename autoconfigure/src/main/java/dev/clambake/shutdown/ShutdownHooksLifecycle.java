package dev.clambake.shutdown;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the shutdown hooks and the wait for tracked work of the {@link ShutdownSequence} in
 * {@link ShutdownSequence#HOOKS_PHASE}, once the web server has stopped and before any bean
 * is destroyed. Its stop blocks the closing thread; each step is bounded by its own timeout.
 */
final class ShutdownHooksLifecycle implements SmartLifecycle {

	private final ShutdownSequence sequence;

	private volatile boolean running;

	ShutdownHooksLifecycle(ShutdownSequence sequence) {
		this.sequence = sequence;
	}

	@Override
	public void start() {
		this.sequence.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.sequence.runHooks();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ShutdownSequence.HOOKS_PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

}
