package dev.clambake.report;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Properties of the production-readiness report.
 */
@ConfigurationProperties("clambake.report")
public class ClambakeReportProperties {

	/**
	 * Whether to report findings at start-up and on /actuator/clambake.
	 */
	private boolean enabled = true;

	/**
	 * Which findings stop start-up: never, risk (risks only) or warning (any finding).
	 */
	private FailOn failOn = FailOn.NEVER;

	/**
	 * When /actuator/clambake shows details (settings with their values and origins, what
	 * each finding means): never, when-authorized or always. Others see statuses and finding
	 * ids only.
	 */
	private Show showDetails = Show.WHEN_AUTHORIZED;

	/**
	 * Roles allowed to see the report's details when show-details is when-authorized; any
	 * authenticated caller when empty.
	 */
	private Set<String> roles = new LinkedHashSet<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public FailOn getFailOn() {
		return this.failOn;
	}

	public void setFailOn(FailOn failOn) {
		this.failOn = failOn;
	}

	public Show getShowDetails() {
		return this.showDetails;
	}

	public void setShowDetails(Show showDetails) {
		this.showDetails = showDetails;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}

}
