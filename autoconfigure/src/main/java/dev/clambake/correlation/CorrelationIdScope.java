package dev.clambake.correlation;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the correlation id back as it was before a scope began, so no id outlives the work it
 * belongs to on a pooled thread.
 */
final class CorrelationIdScope {

	private CorrelationIdScope() {
	}

	static void restore(@Nullable String previous) {
		if (previous != null) {
			MDC.put(CorrelationIds.MDC_KEY, previous);
		}
		else {
			MDC.remove(CorrelationIds.MDC_KEY);
		}
	}

}
