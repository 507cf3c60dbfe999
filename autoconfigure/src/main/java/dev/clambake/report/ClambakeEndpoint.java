package dev.clambake.report;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/clambake}: the production-readiness report, read-only, secrets masked.
 */
@Endpoint(id = "clambake")
public class ClambakeEndpoint {

	private final ProductionReadinessReporter reporter;

	public ClambakeEndpoint(ProductionReadinessReporter reporter) {
		this.reporter = reporter;
	}

	@ReadOperation
	public ClambakeReport report() {
		return this.reporter.report();
	}

}
