package dev.clambake.config;

import org.jspecify.annotations.Nullable;

/**
 * What became of one of Clambake's fast paths in this application.
 *
 * @param name the fast path's name, for example {@code sampled-span-meters}
 * @param property the property that switches it off
 * @param state whether it runs, stepped aside or fell back
 * @param detail what it relies on when it runs, or why it does not; {@code null} in the
 * summary of the report shown without details
 */
public record FastPath(String name, String property, State state, @Nullable String detail) {

	/**
	 * The states of a fast path.
	 */
	public enum State {

		/**
		 * The fast path runs.
		 */
		ACTIVE,

		/**
		 * The application's set-up does not fit the fast path, so Spring's public path runs.
		 */
		STEPPED_ASIDE,

		/**
		 * The detail the fast path relies on is absent or has changed, so Spring's public path
		 * runs.
		 */
		FELL_BACK

	}

}
