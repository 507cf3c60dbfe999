package dev.clambake.report;

/**
 * Something in the configuration that is likely to hurt in production.
 *
 * @param id a stable identifier, for example {@code drain-delay-zero}
 * @param severity how serious it is
 * @param explanation one line saying what is wrong
 * @param fix what to change
 */
public record Finding(String id, Severity severity, String explanation, String fix) {

	/**
	 * Return the finding as one log line.
	 * @return the description
	 */
	public String describe() {
		return "[" + this.severity + "] " + this.id + ": " + this.explanation + " Fix: " + this.fix;
	}

}
