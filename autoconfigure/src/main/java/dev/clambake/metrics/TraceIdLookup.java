package dev.clambake.metrics;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Finds the trace id of an observation, for slow-operation warnings and events.
 */
@FunctionalInterface
public interface TraceIdLookup {

	/**
	 * Looks in the MDC only: right when no tracer is present.
	 */
	TraceIdLookup MDC_ONLY = (context) -> MDC.get("traceId");

	/**
	 * Return the trace id of the given observation.
	 * @param context the observation's context
	 * @return the trace id, or {@code null} when there is none
	 */
	@Nullable String traceId(Observation.Context context);

}
