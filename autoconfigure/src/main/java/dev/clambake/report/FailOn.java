package dev.clambake.report;

import java.util.Locale;

/**
 * Which findings stop start-up.
 */
public enum FailOn {

	/**
	 * Findings are reported, start-up always goes on.
	 */
	NEVER,

	/**
	 * A risk stops start-up.
	 */
	RISK,

	/**
	 * Any finding, warning or risk, stops start-up.
	 */
	WARNING;

	boolean stopsOn(Severity severity) {
		return switch (this) {
			case NEVER -> false;
			case RISK -> severity == Severity.RISK;
			case WARNING -> true;
		};
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
