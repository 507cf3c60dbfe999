package dev.clambake.tracing;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.junit.jupiter.api.Test;

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
