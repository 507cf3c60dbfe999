package dev.clambake.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Micrometer Tracing's observation handlers, tagging only spans that are recorded. An unsampled
 * span drops every tag, yet the stock handlers build and sort all of an observation's key values
 * to set them on it: with 10% sampling that is nine requests in ten. Ids, propagation, scopes
 * and the MDC are untouched.
 */
public final class RecordingSpanTagging {

	private RecordingSpanTagging() {
	}

	/**
	 * Tags only spans that are recorded. Micrometer's handlers inherit {@code tagSpan} from
	 * {@link TracingObservationHandler} without overriding it, so this more specific default
	 * is the one they run.
	 *
	 * @param <T> the context type
	 */
	interface RecordedSpansOnly<T extends Observation.Context> extends TracingObservationHandler<T> {

		@Override
		default void tagSpan(T context, Span span) {
			if (!span.isNoop()) {
				TracingObservationHandler.super.tagSpan(context, span);
			}
		}

	}

	/**
	 * Handles inbound requests and messages ({@link ReceiverContext}).
	 *
	 * @param <T> the context type
	 */
	public static class ReceiverHandler<T extends ReceiverContext<T>>
			extends PropagatingReceiverTracingObservationHandler<T> implements RecordedSpansOnly<T> {

		/**
		 * Create a handler.
		 * @param tracer the tracer
		 * @param propagator extracts the inbound trace context
		 */
		public ReceiverHandler(Tracer tracer, Propagator propagator) {
			super(tracer, propagator);
		}

	}

	/**
	 * Handles outbound requests and messages ({@link SenderContext}).
	 *
	 * @param <T> the context type
	 */
	public static class SenderHandler<T extends SenderContext<?>> extends PropagatingSenderTracingObservationHandler<T>
			implements RecordedSpansOnly<T> {

		/**
		 * Create a handler.
		 * @param tracer the tracer
		 * @param propagator injects the trace context into the outbound carrier
		 */
		public SenderHandler(Tracer tracer, Propagator propagator) {
			super(tracer, propagator);
		}

	}

	/**
	 * Handles every other observation ({@code @Observed}, {@code Operations}, state store
	 * calls).
	 */
	public static class DefaultHandler extends DefaultTracingObservationHandler
			implements RecordedSpansOnly<Observation.Context> {

		/**
		 * Create a handler.
		 * @param tracer the tracer
		 */
		public DefaultHandler(Tracer tracer) {
			super(tracer);
		}

	}

}
