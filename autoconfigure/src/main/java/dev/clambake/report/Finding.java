package dev.clambake.report;

import org.jspecify.annotations.Nullable;

/**
 * Something in the configuration that is likely to hurt in production.
 *
 * @param id a stable identifier, for example {@code drain-delay-zero}
 * @param severity how serious it is
 * @param explanation one line saying what is wrong; {@code null} in the summary of the
 * report shown without details
 * @param fix what to change; {@code null} in the summary of the report shown without details
 */
public record Finding(String id, Severity severity, @Nullable String explanation, @Nullable String fix) {

	/**
	 * Return the finding as one log line.
	 * @return the description
	 */
	public String describe() {
		return "[" + this.severity + "] " + this.id + ": " + this.explanation + " Fix: " + this.fix;
	}

}
