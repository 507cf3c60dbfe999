package dev.clambake.tracing;

import dev.clambake.config.ClambakeCapability;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for Clambake's tracing capability. Spring Boot does the heavy lifting
 * (OpenTelemetry SDK, parent-based sampling, W3C propagation, OTLP/HTTP export only when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, trace and span ids in
 * the MDC, a flush of buffered spans when the context closes); Clambake sets its defaults as
 * properties and adds {@code clambake.tracing.log-spans}.
 */
@AutoConfiguration
@ConditionalOnClass({ Tracer.class, SpanProcessor.class })
@ConditionalOnBooleanProperty(name = "clambake.tracing.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeTracingProperties.class)
public final class ClambakeTracingAutoConfiguration {

	@Bean
	ClambakeCapability clambakeTracingCapability() {
		return new ClambakeCapability("tracing");
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
