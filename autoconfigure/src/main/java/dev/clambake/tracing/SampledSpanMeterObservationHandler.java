package dev.clambake.tracing;

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;

/**
 * A {@link TracingAwareMeterObservationHandler} that puts the observation's span back in scope
 * while the meters are recorded only when the span is sampled. The scope exists so that a
 * histogram can attach the trace id as an exemplar, and exemplars are taken only from sampled
 * spans: for an unsampled one, opening and closing the scope (and rewriting the MDC twice) buys
 * nothing.
 *
 * @param <T> the context type
 */
public class SampledSpanMeterObservationHandler<T extends Observation.Context>
		extends TracingAwareMeterObservationHandler<T> {

	private final MeterObservationHandler<T> delegate;

	/**
	 * Wrap a meter handler.
	 * @param delegate the handler that records the meters
	 * @param tracer the tracer
	 */
	public SampledSpanMeterObservationHandler(MeterObservationHandler<T> delegate, Tracer tracer) {
		super(delegate, tracer);
		this.delegate = delegate;
	}

	/**
	 * Return the handler that records the meters.
	 * @return the wrapped meter handler
	 */
	public MeterObservationHandler<T> getDelegate() {
		return this.delegate;
	}

	@Override
	public void onStop(T context) {
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		if (span != null && Boolean.TRUE.equals(span.context().sampled())) {
			super.onStop(context);
		}
		else {
			this.delegate.onStop(context);
		}
	}

}
