package dev.clambake.report;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/clambake}: the production-readiness report, read-only, secrets masked.
 * Like the health endpoint's {@code show-details}, only callers allowed to see details get
 * settings and what each finding means; others get the report's {@link ClambakeReport#summary()
 * summary}.
 */
@Endpoint(id = "clambake")
public class ClambakeEndpoint {

	private final ProductionReadinessReporter reporter;

	private final Show showDetails;

	private final Set<String> roles;

	public ClambakeEndpoint(ProductionReadinessReporter reporter, Show showDetails, Set<String> roles) {
		this.reporter = reporter;
		this.showDetails = showDetails;
		this.roles = Set.copyOf(roles);
	}

	@ReadOperation
	public ClambakeReport report(SecurityContext securityContext) {
		ClambakeReport report = this.reporter.report();
		return this.showDetails.isShown(securityContext, this.roles) ? report : report.summary();
	}

}
