package dev.clambake.shutdown;

import java.time.Duration;

/**
 * Receives the measurements of a shutdown sequence; {@link ShutdownMetrics} records them in
 * Micrometer. The sequence logs the same numbers, since nobody may scrape a dying process.
 */
interface ShutdownRecorder {

	/**
	 * A recorder that records nothing.
	 */
	ShutdownRecorder NONE = new ShutdownRecorder() {
	};

	/**
	 * Record how long a phase of the sequence took.
	 * @param phase the phase: readiness, drain, web-server, hooks or total
	 * @param duration how long it took
	 */
	default void phase(String phase, Duration duration) {
	}

	/**
	 * Record how a shutdown hook ended.
	 * @param hook the hook's name
	 * @param outcome completed, failed or abandoned
	 * @param duration how long it ran before it ended or was abandoned
	 */
	default void hook(String hook, String outcome, Duration duration) {
	}

	/**
	 * Record tracked work abandoned at the work timeout.
	 * @param count how many units were abandoned
	 */
	default void abandonedWork(int count) {
	}

}
