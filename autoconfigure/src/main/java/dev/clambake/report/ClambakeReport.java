package dev.clambake.report;

import java.util.List;

import dev.clambake.config.FastPath;

/**
 * What {@code /actuator/clambake} shows.
 *
 * @param version Clambake's version
 * @param environment the value of {@code clambake.environment}
 * @param capabilities each capability, on or off and why
 * @param settings the effective key settings with their sources
 * @param fastPaths Clambake's fast paths that run, stepped aside or fell back
 * @param findings what is likely to hurt in production
 */
public record ClambakeReport(String version, String environment, List<CapabilityStatus> capabilities,
		List<Setting> settings, List<FastPath> fastPaths, List<Finding> findings) {

}
