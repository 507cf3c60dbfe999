package dev.clambake.report;

import java.util.List;

import dev.clambake.metrics.CardinalityGuard;

import org.springframework.context.ApplicationContext;

/**
 * The findings of the cardinality guard: one per meter that reached its cap of series. Loaded
 * only when Micrometer is on the class path.
 */
final class CardinalityFindings {

	private CardinalityFindings() {
	}

	static void add(ApplicationContext context, List<Finding> findings) {
		CardinalityGuard guard = context.getBeanProvider(CardinalityGuard.class).getIfAvailable();
		if (guard == null) {
			return;
		}
		for (CardinalityGuard.Overflowed meter : guard.overflowed()) {
			findings.add(new Finding(ProductionReadinessReporter.METRIC_CARDINALITY_OVERFLOW, Severity.WARNING,
					"Meter '" + meter.meter() + "' reached its cap of " + meter.maxSeries() + " series; "
							+ meter.overflowedIds() + " further tag sets went to its overflow series (tag '"
							+ meter.tag() + "' reads '" + CardinalityGuard.OVERFLOW + "').",
					"Drop or bound the values of tag '" + meter.tag() + "' (a user id, a raw path), or raise "
							+ "clambake.metrics.cardinality.max-series-by-meter." + meter.meter() + "."));
		}
	}

}
