package dev.clambake.report;

import java.util.Locale;

/**
 * How serious a finding is.
 */
public enum Severity {

	/**
	 * Costs money or visibility, but loses nothing.
	 */
	WARNING,

	/**
	 * Can lose requests or data, or expose what must stay private.
	 */
	RISK;

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
