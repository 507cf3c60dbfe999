package dev.clambake.correlation;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Finds a trace id with Micrometer Tracing: the span of the request's observation, the current
 * span, then the MDC. Loaded only when Micrometer Tracing is on the class path.
 */
final class TracerTraceIds implements Function<Observation.@Nullable Context, @Nullable String> {

	private final ObjectProvider<Tracer> tracer;

	TracerTraceIds(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	static TracerTraceIds tracer(BeanFactory beanFactory) {
		return new TracerTraceIds(beanFactory.getBeanProvider(Tracer.class));
	}

	@Override
	public @Nullable String apply(Observation.@Nullable Context observation) {
		if (observation != null) {
			TracingObservationHandler.TracingContext tracing = observation
				.get(TracingObservationHandler.TracingContext.class);
			if (tracing != null && tracing.getSpan() != null) {
				return tracing.getSpan().context().traceId();
			}
		}
		Tracer current = this.tracer.getIfAvailable();
		Span span = (current != null) ? current.currentSpan() : null;
		if (span != null) {
			return span.context().traceId();
		}
		return MDC.get(ErrorBodyIds.TRACE_ID_MDC_KEY);
	}

}
