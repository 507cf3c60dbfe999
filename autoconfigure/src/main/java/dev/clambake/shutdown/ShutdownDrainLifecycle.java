package dev.clambake.shutdown;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the drain of the {@link ShutdownSequence} in {@link ShutdownSequence#DRAIN_PHASE},
 * before Spring Boot's graceful shutdown of the web server. Its stop blocks the closing
 * thread, so the drain is not cut short by {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
final class ShutdownDrainLifecycle implements SmartLifecycle {

	private final ShutdownSequence sequence;

	private volatile boolean running;

	ShutdownDrainLifecycle(ShutdownSequence sequence) {
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
		this.sequence.drain();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ShutdownSequence.DRAIN_PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

}
