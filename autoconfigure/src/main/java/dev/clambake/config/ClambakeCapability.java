package dev.clambake.config;

import java.util.List;

/**
 * Marks a capability as active: each capability's auto-configuration registers one, so a
 * capability that is off or lacks its library has none.
 *
 * @param name the capability's name, one of {@link #NAMES}
 */
public record ClambakeCapability(String name) {

	/**
	 * Every capability Clambake has, in the order the start-up summary lists them.
	 */
	public static final List<String> NAMES = List.of("config", "correlation", "logging", "metrics", "tracing",
			"health", "shutdown", "resilience", "state", "lease", "report");

}
