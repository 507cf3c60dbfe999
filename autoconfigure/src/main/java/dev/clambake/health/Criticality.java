package dev.clambake.health;

/**
 * What a health component's failure means for the service
 * ({@code clambake.health.components.<name>.criticality}).
 */
public enum Criticality {

	/**
	 * The service cannot serve without it: the component joins the {@code readiness} group
	 * and its DOWN answers 503 there.
	 */
	CRITICAL,

	/**
	 * The service serves without it, with less function: its DOWN is reported as
	 * {@code DEGRADED} (HTTP 200), its own status kept in the details.
	 */
	OPTIONAL

}
