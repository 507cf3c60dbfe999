package dev.clambake.tracing;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.FastPaths;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration for Clambake's tracing capability. Spring Boot does the heavy lifting
 * (OpenTelemetry SDK, parent-based sampling, W3C propagation, OTLP/HTTP export only when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, trace and span ids in
 * the MDC, a flush of buffered spans when the context closes); Clambake sets its defaults as
 * properties and adds {@code clambake.tracing.log-spans}. For unsampled spans it replaces
 * Boot's observation handlers with ones that skip work nobody sees: tagging a span that is not
 * recorded ({@link RecordingSpanTagging}) and putting it back in scope for exemplars
 * ({@link SampledSpanMeterObservationHandler}). Without baggage remote fields, inbound requests
 * skip the remote-field baggage propagator ({@link NoRemoteFieldsPropagation}); without an
 * exporter, sampled spans skip the batch span processor ({@link NoExporterSpanProcessors}).
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration" },
		beforeName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnClass({ Tracer.class, SpanProcessor.class })
@ConditionalOnBooleanProperty(name = "clambake.tracing.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeTracingProperties.class)
public final class ClambakeTracingAutoConfiguration {

	@Bean
	ClambakeCapability clambakeTracingCapability() {
		return new ClambakeCapability("tracing");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MicrometerTracingAutoConfiguration.class)
	@ConditionalOnBean(Tracer.class)
	static class UnsampledSpanConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@Order(MicrometerTracingAutoConfiguration.DEFAULT_TRACING_OBSERVATION_HANDLER_ORDER)
		DefaultTracingObservationHandler defaultTracingObservationHandler(Tracer tracer) {
			return new RecordingSpanTagging.DefaultHandler(tracer);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(Propagator.class)
		@Order(MicrometerTracingAutoConfiguration.SENDER_TRACING_OBSERVATION_HANDLER_ORDER)
		PropagatingSenderTracingObservationHandler<?> propagatingSenderTracingObservationHandler(Tracer tracer,
				Propagator propagator) {
			return new RecordingSpanTagging.SenderHandler<>(tracer, propagator);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(Propagator.class)
		@Order(MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER)
		PropagatingReceiverTracingObservationHandler<?> propagatingReceiverTracingObservationHandler(Tracer tracer,
				Propagator propagator) {
			return new RecordingSpanTagging.ReceiverHandler<>(tracer, propagator);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = SampledSpanMeterHandlers.PROPERTY, matchIfMissing = true)
		static SampledSpanMeterHandlers clambakeSampledSpanMeterHandlers(ObjectProvider<Tracer> tracer,
				ObjectProvider<FastPaths> fastPaths) {
			return new SampledSpanMeterHandlers(tracer, fastPaths);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SpanProcessors.class)
	static class OpenTelemetryBridgeConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(name = NoRemoteFieldsPropagation.PROPERTY, matchIfMissing = true)
		static NoRemoteFieldsPropagation clambakeNoRemoteFieldsPropagation(
				ObjectProvider<TracingProperties> properties, ObjectProvider<FastPaths> fastPaths) {
			return new NoRemoteFieldsPropagation(properties, fastPaths);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = NoExporterSpanProcessors.PROPERTY, matchIfMissing = true)
		static NoExporterSpanProcessors clambakeNoExporterSpanProcessors(ObjectProvider<FastPaths> fastPaths) {
			return new NoExporterSpanProcessors(fastPaths);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("clambake.tracing.log-spans")
	static class LogSpansConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clambakeLoggingSpanProcessor")
		SpanProcessor clambakeLoggingSpanProcessor() {
			return SimpleSpanProcessor.create(new LoggingSpanExporter());
		}

	}

}
