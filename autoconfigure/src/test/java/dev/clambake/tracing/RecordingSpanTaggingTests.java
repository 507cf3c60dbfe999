package dev.clambake.tracing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecordingSpanTagging} and {@link SampledSpanMeterObservationHandler} on a
 * real OpenTelemetry SDK: sampled spans keep their tags and exemplar scope, unsampled ones skip
 * that work and still get ids and meters.
 */
class RecordingSpanTaggingTests {

	private final List<SpanData> exported = new CopyOnWriteArrayList<>();

	private final MeterRegistry meterRegistry = new SimpleMeterRegistry();

	private SdkTracerProvider tracerProvider;

	@AfterEach
	void close() {
		if (this.tracerProvider != null) {
			this.tracerProvider.close();
		}
	}

	@Test
	void sampledSpanIsTaggedAndMetersSeeItInScope() {
		Tracer tracer = tracer(Sampler.alwaysOn());
		SpanInScopeRecorder recorder = new SpanInScopeRecorder(tracer, this.meterRegistry);
		CountingContext context = observe(tracer, recorder);
		assertThat(context.keyValueReads).isPositive();
		assertThat(this.exported).singleElement()
			.satisfies((span) -> assertThat(span.getAttributes().get(AttributeKey.stringKey("kind"))).isEqualTo("pdf"));
		assertThat(recorder.spanAtStop).isNotNull();
		assertThat(recorder.spanAtStop.context().spanId()).isEqualTo(this.exported.get(0).getSpanId());
		assertThat(this.meterRegistry.get("invoice.render").timer().count()).isOne();
	}

	@Test
	void unsampledSpanIsNotTaggedYetHasIdsAndMeters() {
		Tracer tracer = tracer(Sampler.alwaysOff());
		SpanInScopeRecorder recorder = new SpanInScopeRecorder(tracer, this.meterRegistry);
		CountingContext context = observe(tracer, recorder);
		assertThat(context.keyValueReads).isZero();
		assertThat(context.traceId).hasSize(32).isNotEqualTo("00000000000000000000000000000000");
		assertThat(this.exported).isEmpty();
		assertThat(recorder.spanAtStop).isNull();
		assertThat(this.meterRegistry.get("invoice.render").tag("kind", "pdf").timer().count()).isOne();
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void receiverSenderAndDefaultHandlersAllTagOnlyRecordedSpans() {
		Tracer tracer = tracer(Sampler.alwaysOn());
		List<TracingObservationHandler> handlers = List.of(
				new RecordingSpanTagging.ReceiverHandler<>(tracer, Propagator.NOOP),
				new RecordingSpanTagging.SenderHandler<>(tracer, Propagator.NOOP),
				new RecordingSpanTagging.DefaultHandler(tracer));
		for (TracingObservationHandler handler : handlers) {
			CountingContext unrecorded = new CountingContext();
			handler.tagSpan(unrecorded, Span.NOOP);
			assertThat(unrecorded.keyValueReads).as(handler.getClass().getSimpleName()).isZero();
			CountingContext recorded = new CountingContext();
			Span span = tracer.nextSpan().start();
			handler.tagSpan(recorded, span);
			span.end();
			assertThat(recorded.keyValueReads).as(handler.getClass().getSimpleName()).isPositive();
		}
	}

	private CountingContext observe(Tracer tracer, MeterObservationHandler<Observation.Context> meters) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(new RecordingSpanTagging.DefaultHandler(tracer)))
			.observationHandler(new SampledSpanMeterObservationHandler<>(meters, tracer));
		CountingContext context = new CountingContext();
		Observation observation = Observation.createNotStarted("invoice.render", () -> context, registry)
			.lowCardinalityKeyValue("kind", "pdf")
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			context.traceId = tracer.currentSpan().context().traceId();
		}
		context.keyValueReads = 0;
		observation.stop();
		return context;
	}

	private Tracer tracer(Sampler sampler) {
		this.tracerProvider = SdkTracerProvider.builder()
			.setSampler(sampler)
			.addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(this.exported)))
			.build();
		return new OtelTracer(this.tracerProvider.get("test"), new OtelCurrentTraceContext(), (event) -> {
		});
	}

	static class CountingContext extends Observation.Context {

		int keyValueReads;

		String traceId;

		@Override
		public KeyValues getAllKeyValues() {
			this.keyValueReads++;
			return super.getAllKeyValues();
		}

	}

	/**
	 * Records a timer like Boot's handler and remembers the span in scope while it does: the
	 * span an exemplar would be taken from.
	 */
	static class SpanInScopeRecorder extends DefaultMeterObservationHandler {

		private final Tracer tracer;

		Span spanAtStop;

		SpanInScopeRecorder(Tracer tracer, MeterRegistry registry) {
			super(registry, IgnoredMeters.LONG_TASK_TIMER);
			this.tracer = tracer;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.spanAtStop = this.tracer.currentSpan();
			super.onStop(context);
		}

	}

	record CollectingExporter(List<SpanData> spans) implements SpanExporter {

		@Override
		public CompletableResultCode export(java.util.Collection<SpanData> batch) {
			this.spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
