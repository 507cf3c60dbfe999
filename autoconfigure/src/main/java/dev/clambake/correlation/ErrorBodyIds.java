package dev.clambake.correlation;

import java.util.Map;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * Adds the request's correlation id and trace id to error bodies, so a user who reports an
 * error hands support something to search for: to every RFC 9457 problem-details response
 * Spring MVC or WebFlux renders (as an {@link ErrorResponse.Interceptor}) and to the error
 * attributes of Spring Boot's error controller and error web exception handler. The trace id is
 * added whether or not the trace is sampled. A property already set by the application is kept.
 */
public final class ErrorBodyIds implements ErrorResponse.Interceptor {

	/**
	 * The property holding the correlation id.
	 */
	public static final String CORRELATION_ID = "correlationId";

	/**
	 * The property holding the trace id.
	 */
	public static final String TRACE_ID = "traceId";

	/**
	 * The MDC key Micrometer Tracing writes the current trace id under.
	 */
	static final String TRACE_ID_MDC_KEY = "traceId";

	private final Function<Observation.@Nullable Context, @Nullable String> traceIds;

	/**
	 * Create an instance.
	 * @param traceIds finds the trace id from the request's observation (when known) or the
	 * current thread
	 */
	public ErrorBodyIds(Function<Observation.@Nullable Context, @Nullable String> traceIds) {
		this.traceIds = traceIds;
	}

	/**
	 * Create an instance that reads the trace id from the MDC only.
	 * @return the instance
	 */
	public static ErrorBodyIds fromMdc() {
		return new ErrorBodyIds((context) -> MDC.get(TRACE_ID_MDC_KEY));
	}

	@Override
	public void handleError(ProblemDetail detail, @Nullable ErrorResponse errorResponse) {
		Map<String, Object> properties = detail.getProperties();
		String correlationId = MDC.get(CorrelationIds.MDC_KEY);
		if (correlationId != null && (properties == null || !properties.containsKey(CORRELATION_ID))) {
			detail.setProperty(CORRELATION_ID, correlationId);
		}
		String traceId = this.traceIds.apply(null);
		if (traceId != null && (properties == null || !properties.containsKey(TRACE_ID))) {
			detail.setProperty(TRACE_ID, traceId);
		}
	}

	/**
	 * Add the ids to error attributes unless they are there already.
	 * @param attributes the error attributes, modifiable
	 * @param correlationId the request's correlation id, if known
	 * @param observation the request's observation context, if known
	 */
	public void addTo(Map<String, Object> attributes, @Nullable String correlationId,
			Observation.@Nullable Context observation) {
		String id = (correlationId != null) ? correlationId : MDC.get(CorrelationIds.MDC_KEY);
		if (id != null) {
			attributes.putIfAbsent(CORRELATION_ID, id);
		}
		String traceId = this.traceIds.apply(observation);
		if (traceId != null) {
			attributes.putIfAbsent(TRACE_ID, traceId);
		}
	}

}
