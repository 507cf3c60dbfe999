package dev.clambake.tracing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NoRemoteFieldsPropagation}, on Spring Boot's OpenTelemetry tracing.
 */
class NoRemoteFieldsPropagationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(Map<String, String> carrier) {
			return carrier.keySet();
		}

		@Override
		public String get(Map<String, String> carrier, String key) {
			return (carrier != null) ? carrier.get(key) : null;
		}

	};

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				ClambakeTracingAutoConfiguration.class));

	@Test
	void withoutRemoteFieldsReplacesBootsCompositeAndStillPropagatesTraceContextAndBaggage() {
		this.runner.run((context) -> {
			TextMapPropagator propagator = context.getBean(TextMapPropagator.class);
			assertThat(propagator).isInstanceOf(NoRemoteFieldsPropagation.Composite.class);
			assertThat(propagator.fields()).containsExactlyInAnyOrder("traceparent", "tracestate", "baggage", "b3",
					"X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled");

			Context extracted = propagator.extract(Context.root(),
					Map.of("traceparent", TRACEPARENT, "baggage", "tenant=acme"), GETTER);
			assertThat(io.opentelemetry.api.trace.Span.fromContext(extracted).getSpanContext().getTraceId())
				.isEqualTo(TRACE_ID);
			assertThat(Baggage.fromContext(extracted).getEntryValue("tenant")).isEqualTo("acme");

			Map<String, String> outbound = new HashMap<>();
			propagator.inject(extracted, outbound, Map::put);
			assertThat(outbound).containsEntry("traceparent", TRACEPARENT).containsEntry("baggage", "tenant=acme");
		});
	}

	@Test
	void consumesEveryConfiguredTypeAndLeavesAContextWithoutHeadersAlone() {
		this.runner.run((context) -> {
			TextMapPropagator propagator = context.getBean(TextMapPropagator.class);
			Context b3 = propagator.extract(Context.root(), Map.of("b3", TRACE_ID + "-00f067aa0ba902b7-1"), GETTER);
			assertThat(io.opentelemetry.api.trace.Span.fromContext(b3).getSpanContext().getTraceId())
				.isEqualTo(TRACE_ID);
			assertThat(propagator.extract(Context.root(), Map.of("accept", "*/*"), GETTER)).isSameAs(Context.root());
		});
	}

	@ParameterizedTest
	@MethodSource("inboundHeaders")
	void extractsWhatOpenTelemetrysPropagatorsExtractInBootsDefaultOrder(Map<String, String> headers) {
		// Spring Boot's default: consume W3C, B3 and B3 multi; the first that finds a context wins
		List<TextMapPropagator> reference = List.of(
				TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
						W3CBaggagePropagator.getInstance()),
				B3Propagator.injectingSingleHeader(), B3Propagator.injectingMultiHeaders());
		Context expected = Context.root();
		for (TextMapPropagator propagator : reference) {
			Context extracted = propagator.extract(Context.root(), headers, GETTER);
			if (extracted != Context.root()) {
				expected = extracted;
				break;
			}
		}
		Context expectedContext = expected;
		this.runner.run((context) -> {
			Context extracted = context.getBean(TextMapPropagator.class).extract(Context.root(), headers, GETTER);
			assertThat(io.opentelemetry.api.trace.Span.fromContext(extracted).getSpanContext())
				.isEqualTo(io.opentelemetry.api.trace.Span.fromContext(expectedContext).getSpanContext());
			assertThat(Baggage.fromContext(extracted).asMap()).isEqualTo(Baggage.fromContext(expectedContext).asMap());
			assertThat(extracted == Context.root()).isEqualTo(expectedContext == Context.root());
		});
	}

	static Stream<Map<String, String>> inboundHeaders() {
		String spanId = "00f067aa0ba902b7";
		return Stream.of(Map.of(), Map.of("accept", "*/*"), Map.of("traceparent", TRACEPARENT),
				Map.of("baggage", "tenant=acme"), Map.of("traceparent", TRACEPARENT, "baggage", "tenant=acme"),
				Map.of("traceparent", "00-not-a-trace-01", "baggage", "tenant=acme"),
				Map.of("b3", TRACE_ID + "-" + spanId + "-1"), Map.of("b3", "0"),
				Map.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", spanId, "X-B3-Sampled", "1"),
				Map.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", spanId, "X-B3-Flags", "1"),
				Map.of("X-B3-TraceId", TRACE_ID), Map.of("X-B3-SpanId", spanId, "X-B3-Sampled", "1"),
				Map.of("traceparent", TRACEPARENT, "b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
				Map.of("baggage", "tenant=acme", "X-B3-TraceId", TRACE_ID, "X-B3-SpanId", spanId));
	}

	@Test
	void requestsWithoutB3HeadersDoNotRunTheB3Extractor() {
		// OpenTelemetry's B3 extractor reports a missing trace id at FINE: a record means it ran
		Logger logger = Logger.getLogger("io.opentelemetry.extension.trace.propagation");
		List<LogRecord> records = new ArrayList<>();
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord record) {
				records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		Level level = logger.getLevel();
		logger.setLevel(Level.FINE);
		logger.addHandler(handler);
		try {
			this.runner.run((context) -> {
				TextMapPropagator propagator = context.getBean(TextMapPropagator.class);
				assertThat(propagator.extract(Context.root(), Map.of("accept", "*/*"), GETTER))
					.isSameAs(Context.root());
				assertThat(records).isEmpty();
				propagator.extract(Context.root(), Map.of("X-B3-SpanId", "00f067aa0ba902b7"), GETTER);
				propagator.extract(Context.root(), Map.of("X-B3-TraceId", "bad"), GETTER);
				assertThat(records).extracting(LogRecord::getMessage)
					.singleElement()
					.asString()
					.startsWith("Invalid TraceId in B3 header: bad");
			});
		}
		finally {
			logger.removeHandler(handler);
			logger.setLevel(level);
		}
	}

	@Test
	void continuesAnInboundTraceThroughMicrometersPropagator() {
		this.runner.run((context) -> {
			assertThat(context.getBean(TextMapPropagator.class))
				.isInstanceOf(NoRemoteFieldsPropagation.Composite.class);
			Propagator propagator = context.getBean(Propagator.class);
			Span span = propagator.extract(Map.of("traceparent", TRACEPARENT), Map::get).start();
			try {
				assertThat(span.context().traceId()).isEqualTo(TRACE_ID);
				assertThat(span.context().parentId()).isEqualTo("00f067aa0ba902b7");
			}
			finally {
				span.end();
			}
		});
	}

	@Test
	void leavesBootsCompositeInPlaceWhenRemoteFieldsAreSet() {
		this.runner.withPropertyValues("management.tracing.baggage.remote-fields=x-tenant").run((context) -> {
			TextMapPropagator propagator = context.getBean(TextMapPropagator.class);
			assertThat(propagator.getClass().getName()).isEqualTo(NoRemoteFieldsPropagation.BOOT_COMPOSITE);
			Context extracted = propagator.extract(Context.root(),
					Map.of("traceparent", TRACEPARENT, "x-tenant", "acme"), GETTER);
			assertThat(Baggage.fromContext(extracted).getEntryValue("x-tenant")).isEqualTo("acme");
		});
	}

	@Test
	void leavesBootsCompositeInPlaceWhenBaggageIsOff() {
		this.runner.withPropertyValues("management.tracing.baggage.enabled=false")
			.run((context) -> assertThat(context.getBean(TextMapPropagator.class).getClass().getName())
				.isEqualTo(NoRemoteFieldsPropagation.BOOT_COMPOSITE));
	}

	@Test
	void followsTheConfiguredPropagationTypes() {
		this.runner.withPropertyValues("management.tracing.propagation.type=B3").run((context) -> {
			TextMapPropagator propagator = context.getBean(TextMapPropagator.class);
			assertThat(propagator.fields()).containsExactly("b3");
			Map<String, String> outbound = new HashMap<>();
			propagator.inject(propagator.extract(Context.root(), Map.of("traceparent", TRACEPARENT), GETTER),
					outbound, Map::put);
			assertThat(outbound).isEmpty();
		});
	}

}
