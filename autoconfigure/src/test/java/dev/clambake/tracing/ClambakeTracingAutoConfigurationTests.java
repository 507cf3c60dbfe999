package dev.clambake.tracing;

import dev.clambake.config.ClambakeCapability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClambakeTracingAutoConfiguration}.
 */
class ClambakeTracingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeTracingAutoConfiguration.class));

	@Test
	void defaultsRegisterTheCapabilityAndNoSpanLogging() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ClambakeTracingProperties.class).doesNotHaveBean(SpanProcessor.class);
			assertThat(context.getBean(ClambakeCapability.class).name()).isEqualTo("tracing");
		});
	}

	@Test
	void replacesBootsTracingHandlersAndStillRecordsMetersOfUnsampledObservations() {
		this.runner
			.withConfiguration(AutoConfigurations.of(
					org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class,
					org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
					org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class,
					org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration.class,
					org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration.class,
					org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration.class,
					org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration.class))
			.withPropertyValues("management.tracing.sampling.probability=0")
			.withUserConfiguration(SpanAtStopRecorderConfiguration.class)
			.run((context) -> {
				ObservationRegistry observations = context.getBean(ObservationRegistry.class);
				Observation.createNotStarted("invoice.render", observations).observe(() -> {
					assertThat(context.getBean(Tracer.class).currentSpan()).isNotNull();
				});
				assertThat(context.getBean(MeterRegistry.class).get("invoice.render").timer().count()).isOne();
				// Boot's wrapper would have put the unsampled span back in scope for the meters
				SpanAtStopRecorder recorder = context.getBean(SpanAtStopRecorder.class);
				assertThat(recorder.stops).isOne();
				assertThat(recorder.spanAtStop).isNull();
				assertThat(context.getBean(DefaultTracingObservationHandler.class))
					.isInstanceOf(RecordingSpanTagging.DefaultHandler.class);
				assertThat(context.getBean(PropagatingSenderTracingObservationHandler.class))
					.isInstanceOf(RecordingSpanTagging.SenderHandler.class);
				assertThat(context.getBean(PropagatingReceiverTracingObservationHandler.class))
					.isInstanceOf(RecordingSpanTagging.ReceiverHandler.class);
			});
	}

	@Test
	void logSpansAddsALoggingSpanProcessor() {
		this.runner.withPropertyValues("clambake.tracing.log-spans=true")
			.run((context) -> assertThat(context).hasBean("clambakeLoggingSpanProcessor"));
	}

	@Test
	void userSpanProcessorNamedLikeOursWins() {
		this.runner.withPropertyValues("clambake.tracing.log-spans=true")
			.withUserConfiguration(UserProcessor.class)
			.run((context) -> assertThat(context.getBean("clambakeLoggingSpanProcessor"))
				.isSameAs(UserProcessor.PROCESSOR));
	}

	@Test
	void disabledRegistersNoBeans() {
		this.runner.withPropertyValues("clambake.tracing.enabled=false", "clambake.tracing.log-spans=true")
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeCapability.class)
				.doesNotHaveBean(SpanProcessor.class));
	}

	@Test
	void withoutMicrometerTracingRegistersNoBeans() {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeCapability.class));
	}

	@Test
	void withoutTheOpenTelemetrySdkRegistersNoBeans() {
		this.runner.withClassLoader(new FilteredClassLoader(SpanProcessor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeCapability.class));
	}

	@Test
	void invalidLogSpansValueFailsStartup() {
		this.runner.withPropertyValues("clambake.tracing.log-spans=perhaps")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class SpanAtStopRecorderConfiguration {

		// First among the meter handlers, so the first-matching composite calls it
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		SpanAtStopRecorder spanAtStopRecorder(MeterRegistry registry, ObjectProvider<Tracer> tracer) {
			return new SpanAtStopRecorder(registry, tracer);
		}

	}

	/**
	 * Records meters like Boot's handler and remembers which span was current when it did.
	 */
	static class SpanAtStopRecorder extends DefaultMeterObservationHandler {

		private final ObjectProvider<Tracer> tracer;

		int stops;

		Span spanAtStop;

		SpanAtStopRecorder(MeterRegistry registry, ObjectProvider<Tracer> tracer) {
			super(registry);
			this.tracer = tracer;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stops++;
			this.spanAtStop = this.tracer.getObject().currentSpan();
			super.onStop(context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserProcessor {

		static final SpanProcessor PROCESSOR = new SpanProcessor() {

			@Override
			public void onStart(io.opentelemetry.context.Context parentContext,
					io.opentelemetry.sdk.trace.ReadWriteSpan span) {
			}

			@Override
			public boolean isStartRequired() {
				return false;
			}

			@Override
			public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
			}

			@Override
			public boolean isEndRequired() {
				return false;
			}

		};

		@Bean
		SpanProcessor clambakeLoggingSpanProcessor() {
			return PROCESSOR;
		}

	}

}
