package dev.clambake.report;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.clambake.config.StartupSummaryContributor;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Checks the configuration once every bean exists and before the web server starts: logs each
 * finding with its fix, stops start-up when {@code clambake.report.fail-on} says so, and adds
 * the findings to the start-up summary.
 */
public class ProductionReadinessGate implements SmartInitializingSingleton, StartupSummaryContributor {

	private static final Log logger = LogFactory.getLog(ProductionReadinessGate.class);

	private final ProductionReadinessReporter reporter;

	private final FailOn failOn;

	private List<Finding> findings = List.of();

	public ProductionReadinessGate(ProductionReadinessReporter reporter, FailOn failOn) {
		this.reporter = reporter;
		this.failOn = failOn;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.findings = this.reporter.findings();
		List<Finding> stopping = this.findings.stream()
			.filter((finding) -> this.failOn.stopsOn(finding.severity()))
			.toList();
		if (!stopping.isEmpty()) {
			throw new ProductionReadinessException(this.failOn, stopping);
		}
		// Unknown variables already had their one warning from the configuration capability
		this.findings.stream()
			.filter((finding) -> !finding.id().equals(ReadinessChecks.UNKNOWN_ENVIRONMENT_VARIABLE))
			.forEach((finding) -> logger.warn(finding.describe()));
	}

	@Override
	public String summary() {
		if (this.findings.isEmpty()) {
			return "findings: none";
		}
		return "findings: " + this.findings.stream()
			.map((finding) -> finding.severity() + " " + finding.id())
			.collect(Collectors.joining(", "));
	}

}
