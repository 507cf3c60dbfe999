package dev.clambake.logging;

import java.time.Duration;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Log events over OTLP, when Spring Boot's OTLP log exporter has an endpoint: the OpenTelemetry
 * Logback appender on the root logger, and the batch processor Boot would make (same
 * {@code management.opentelemetry.logging.export.*} settings: bounded queue, batches, delay,
 * time-out; flushed when the context closes) with its drops counted.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ OpenTelemetryAppender.class, OpenTelemetry.class, SdkLoggerProvider.class,
		BatchLogRecordProcessor.class, LoggerContext.class })
@ConditionalOnProperty(OtlpLogsConfiguration.ENDPOINT)
@ConditionalOnBooleanProperty(name = "clambake.logging.otlp.enabled", matchIfMissing = true)
class OtlpLogsConfiguration {

	static final String ENDPOINT = "management.opentelemetry.logging.export.otlp.endpoint";

	private static final String EXPORT = "management.opentelemetry.logging.export.";

	@Bean
	@ConditionalOnMissingBean
	OtlpLogAppenderInstaller clambakeOtlpLogAppenderInstaller(ObjectProvider<OpenTelemetry> openTelemetry) {
		return new OtlpLogAppenderInstaller(openTelemetry);
	}

	@Bean
	@ConditionalOnMissingBean
	OtlpLogDrops clambakeOtlpLogDrops() {
		return new OtlpLogDrops();
	}

	// Boot's own processor backs off for this one: the same settings, read from Boot's
	// properties with Boot's defaults, plus the count of what the full queue drops
	@Bean
	@ConditionalOnMissingBean
	BatchLogRecordProcessor clambakeBatchLogRecordProcessor(ObjectProvider<LogRecordExporter> exporters,
			OtlpLogDrops drops, Environment environment) {
		Binder binder = Binder.get(environment);
		return BatchLogRecordProcessor
			.builder(LogRecordExporter.composite(exporters.orderedStream().toList()))
			.setMaxQueueSize(binder.bind(EXPORT + "max-queue-size", Integer.class).orElse(2048))
			.setMaxExportBatchSize(binder.bind(EXPORT + "max-batch-size", Integer.class).orElse(512))
			.setScheduleDelay(binder.bind(EXPORT + "schedule-delay", Duration.class).orElse(Duration.ofSeconds(1)))
			.setExporterTimeout(binder.bind(EXPORT + "timeout", Duration.class).orElse(Duration.ofSeconds(30)))
			.setMeterProvider(new DroppedLogRecordsMeterProvider(drops::add))
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class DropsMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clambakeOtlpLogDropsMeterBinder")
		MeterBinder clambakeOtlpLogDropsMeterBinder(OtlpLogDrops drops) {
			return (MeterRegistry registry) -> FunctionCounter
				.builder(OtlpLogDrops.COUNTER_NAME, drops, OtlpLogDrops::count)
				.description("Log records not exported over OTLP because the batch queue was full")
				.register(registry);
		}

	}

}
