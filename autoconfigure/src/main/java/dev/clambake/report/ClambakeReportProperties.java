package dev.clambake.report;

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

}
