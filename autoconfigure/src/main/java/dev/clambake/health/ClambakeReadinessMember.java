package dev.clambake.health;

import org.springframework.util.Assert;

/**
 * Declares a health contributor as critical to readiness: a Clambake capability registers
 * one as a bean next to a local contributor that must take the instance out of service when
 * it fails (the state store's {@code stateStore}). The contributor joins the
 * {@code readiness} group only when it exists, so a capability that is off breaks nothing,
 * and never when {@code management.endpoint.health.group.readiness.exclude} names it.
 *
 * @param contributorName the health contributor's name
 */
public record ClambakeReadinessMember(String contributorName) {

	public ClambakeReadinessMember {
		Assert.hasText(contributorName, "'contributorName' must not be empty");
	}

}
