package dev.clambake.report;

import java.util.List;
import java.util.stream.Collectors;

import dev.clambake.config.ClambakeStartupException;

/**
 * Stops start-up when {@code clambake.report.fail-on} is set and the configuration has
 * findings at or above that severity; carries its own failure analysis listing them.
 */
public class ProductionReadinessException extends ClambakeStartupException {

	private final List<Finding> findings;

	ProductionReadinessException(FailOn failOn, List<Finding> findings) {
		super(description(failOn, findings), "Fix the findings above, or set clambake.report.fail-on=never to"
				+ " report them without stopping start-up.");
		this.findings = List.copyOf(findings);
	}

	private static String description(FailOn failOn, List<Finding> findings) {
		String nl = System.lineSeparator();
		return findings.stream()
			.map((finding) -> "    " + finding.describe())
			.collect(Collectors.joining(nl,
					"Clambake's production-readiness report found problems (clambake.report.fail-on=" + failOn + "):"
							+ nl + nl,
					""));
	}

	/**
	 * Return the findings that stopped start-up.
	 * @return the findings
	 */
	public List<Finding> getFindings() {
		return this.findings;
	}

}
