package dev.clambake.report;

import java.util.List;

import dev.clambake.config.FastPath;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /actuator/clambake} shows. Callers not allowed to see details get its
 * {@link #summary()}.
 *
 * @param version Clambake's version
 * @param environment the value of {@code clambake.environment}
 * @param capabilities each capability, on or off and why
 * @param settings the effective key settings with their sources
 * @param fastPaths Clambake's fast paths that run, stepped aside or fell back
 * @param findings what is likely to hurt in production
 * @param probes which health components are critical and which optional, and how warm-up
 * went; {@code null} when the health capability is off
 * @param leases the leases in the state store's lease table, with their holders, when leases are on
 */
public record ClambakeReport(String version, String environment, List<CapabilityStatus> capabilities,
		List<Setting> settings, List<FastPath> fastPaths, List<Finding> findings, @Nullable Probes probes,
		List<LeaseStatus> leases) {

	/**
	 * Return the report without anything that describes the deployment: capabilities, fast
	 * paths, findings and leases by name and status only, no settings, probes without warm-up's
	 * outcome. No host, user, database name,
	 * file path or value remains.
	 * @return the summary
	 */
	public ClambakeReport summary() {
		List<CapabilityStatus> capabilities = this.capabilities.stream()
			.map((status) -> new CapabilityStatus(status.name(), status.active(), null))
			.toList();
		List<FastPath> fastPaths = this.fastPaths.stream()
			.map((path) -> new FastPath(path.name(), path.property(), path.state(), null))
			.toList();
		List<Finding> findings = this.findings.stream()
			.map((finding) -> new Finding(finding.id(), finding.severity(), null, null))
			.toList();
		// Component names stay; how warm-up went may name paths and errors
		Probes probes = (this.probes != null) ? new Probes(this.probes.critical(), this.probes.optional(),
				this.probes.deadlockDetection(), null) : null;
		List<LeaseStatus> leases = this.leases.stream()
			.map((lease) -> new LeaseStatus(lease.name(), lease.held(), null, null, null))
			.toList();
		return new ClambakeReport(this.version, this.environment, capabilities, List.of(), fastPaths, findings,
				probes, leases);
	}

}
