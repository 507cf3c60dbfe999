package dev.clambake.config;

import java.util.Locale;

/**
 * Where a service runs; later capabilities key behaviour on it (JSON logs, report findings,
 * the {@code environment} metric tag).
 */
public enum ClambakeEnvironment {

	/**
	 * A developer's machine.
	 */
	DEVELOPMENT,

	/**
	 * Automated tests.
	 */
	TESTING,

	/**
	 * A pre-production environment.
	 */
	STAGING,

	/**
	 * Production.
	 */
	PRODUCTION;

	/**
	 * The value as users write it, for example {@code staging}.
	 * @return the lower-case name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether this is a shared environment (staging or production) rather than a developer's
	 * machine or a test run.
	 * @return {@code true} for staging and production
	 */
	public boolean isDeployed() {
		return this == STAGING || this == PRODUCTION;
	}

	@Override
	public String toString() {
		return value();
	}

}
