package dev.clambake.config;

/**
 * Adds a part to the start-up summary line; a capability registers one as a bean.
 */
@FunctionalInterface
public interface StartupSummaryContributor {

	/**
	 * Return this capability's part of the summary, for example {@code findings: none}.
	 * @return the text to append
	 */
	String summary();

}
