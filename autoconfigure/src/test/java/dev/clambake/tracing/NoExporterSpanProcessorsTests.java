package dev.clambake.tracing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NoExporterSpanProcessors}, on Spring Boot's OpenTelemetry tracing.
 */
class NoExporterSpanProcessorsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				ClambakeTracingAutoConfiguration.class))
		.withPropertyValues("management.tracing.sampling.probability=1.0");

	@Test
	void withoutExportersOrReportersTheBatchProcessorIsLeftOutAndSpansStillHaveIds() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(BatchSpanProcessor.class);
			assertThat(processors(context)).doesNotContain(context.getBean(BatchSpanProcessor.class));
			Span span = context.getBean(Tracer.class).nextSpan().name("work").start();
			assertThat(span.isNoop()).isFalse();
			assertThat(span.context().traceId()).hasSize(32);
			span.end();
		});
	}

	@Test
	void otherProcessorsStay() {
		this.runner.withPropertyValues("clambake.tracing.log-spans=true")
			.run((context) -> assertThat(processors(context)).containsExactly(
					context.getBean("clambakeLoggingSpanProcessor", SpanProcessor.class)));
	}

	@Test
	void anExporterKeepsTheBatchProcessorAndGetsEverySampledSpan() {
		this.runner.withUserConfiguration(CollectingExporterConfiguration.class).run((context) -> {
			assertThat(processors(context)).contains(context.getBean(BatchSpanProcessor.class));
			context.getBean(Tracer.class).nextSpan().name("work").start().end();
			context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
			assertThat(context.getBean(RecordingSpanTaggingTests.CollectingExporter.class).spans())
				.extracting(SpanData::getName)
				.containsExactly("work");
		});
	}

	@Test
	void aReporterKeepsTheBatchProcessorAndGetsEverySampledSpan() {
		this.runner.withUserConfiguration(RecordingReporterConfiguration.class).run((context) -> {
			assertThat(processors(context)).contains(context.getBean(BatchSpanProcessor.class));
			context.getBean(Tracer.class).nextSpan().name("work").start().end();
			context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
			assertThat(context.getBean(RecordingReporter.class).spans).extracting(FinishedSpan::getName)
				.containsExactly("work");
		});
	}

	private static List<SpanProcessor> processors(ApplicationContext context) {
		return context.getBean(SpanProcessors.class).list();
	}

	@Configuration(proxyBeanMethods = false)
	static class CollectingExporterConfiguration {

		@Bean
		RecordingSpanTaggingTests.CollectingExporter collectingExporter() {
			return new RecordingSpanTaggingTests.CollectingExporter(new CopyOnWriteArrayList<>());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingReporterConfiguration {

		@Bean
		RecordingReporter recordingReporter() {
			return new RecordingReporter();
		}

	}

	static class RecordingReporter implements SpanReporter {

		final List<FinishedSpan> spans = new CopyOnWriteArrayList<>();

		@Override
		public void report(FinishedSpan span) {
			this.spans.add(span);
		}

	}

}
