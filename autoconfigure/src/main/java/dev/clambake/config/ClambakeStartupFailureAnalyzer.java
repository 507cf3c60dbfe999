package dev.clambake.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link ClambakeStartupException} with the description and action it carries.
 */
class ClambakeStartupFailureAnalyzer extends AbstractFailureAnalyzer<ClambakeStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ClambakeStartupException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
