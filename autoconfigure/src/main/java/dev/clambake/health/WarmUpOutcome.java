package dev.clambake.health;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How warm-up went.
 *
 * @param state where warm-up stands
 * @param endedAt when it ended, or {@code null} while it runs
 * @param took how long it ran, or {@code null} while it runs
 * @param detail what it did or why it failed, or {@code null}
 */
public record WarmUpOutcome(State state, @Nullable Instant endedAt, @Nullable Duration took,
		@Nullable String detail) {

	static final WarmUpOutcome PENDING = new WarmUpOutcome(State.PENDING, null, null, null);

	static final WarmUpOutcome RUNNING = new WarmUpOutcome(State.RUNNING, null, null, null);

	/**
	 * Return whether warm-up has ended, however it ended.
	 * @return whether readiness may open
	 */
	public boolean ended() {
		return this.state != State.PENDING && this.state != State.RUNNING;
	}

	/**
	 * Return the outcome as the start-up summary and logs show it.
	 * @return for example {@code done in 1.2s (3 requests x 10)}
	 */
	public String describe() {
		String text = this.state.label;
		if (this.took != null) {
			text += " in " + this.took.toMillis() + "ms";
		}
		return (this.detail != null) ? text + " (" + this.detail + ")" : text;
	}

	/**
	 * Where warm-up stands.
	 */
	public enum State {

		/**
		 * Not started yet: the application has not finished starting.
		 */
		PENDING("pending"),

		/**
		 * Running: readiness is held.
		 */
		RUNNING("running"),

		/**
		 * Every {@link WarmUp} bean returned and every warm-up request answered.
		 */
		DONE("done"),

		/**
		 * {@code clambake.health.warm-up.timeout} ran out first.
		 */
		BUDGET_SPENT("budget spent"),

		/**
		 * A {@link WarmUp} threw or a warm-up request failed.
		 */
		FAILED("failed");

		private final String label;

		State(String label) {
			this.label = label;
		}

	}

}
