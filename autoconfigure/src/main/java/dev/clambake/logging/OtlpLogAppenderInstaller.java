package dev.clambake.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.clambake.correlation.CorrelationIds;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Installs the OpenTelemetry Logback appender on the root logger, so log events reach Spring
 * Boot's OTLP log exporter (spring-boot#49628: Boot configures the exporter but leaves the
 * appender to the application). Each record carries the trace and span ids of the span current
 * where it was logged (from the OpenTelemetry context), the correlation id (from the MDC) as
 * the attribute {@value CorrelationIds#MDC_KEY}, and the resource attributes of Boot's
 * {@code OpenTelemetry}. Removed again when the context closes.
 */
public class OtlpLogAppenderInstaller implements SmartInitializingSingleton, DisposableBean {

	/**
	 * The appender's name on the root logger.
	 */
	public static final String APPENDER_NAME = "CLAMBAKE_OTLP";

	private static final org.apache.commons.logging.Log logger = org.apache.commons.logging.LogFactory
		.getLog(OtlpLogAppenderInstaller.class);

	private final ObjectProvider<OpenTelemetry> openTelemetry;

	private volatile OpenTelemetryAppender appender;

	/**
	 * Create an installer.
	 * @param openTelemetry Spring Boot's OpenTelemetry, whose logger provider exports
	 */
	public OtlpLogAppenderInstaller(ObjectProvider<OpenTelemetry> openTelemetry) {
		this.openTelemetry = openTelemetry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		OpenTelemetry otel = this.openTelemetry.getIfAvailable();
		if (otel == null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		OpenTelemetryAppender created = new OpenTelemetryAppender();
		created.setName(APPENDER_NAME);
		created.setContext(context);
		created.setOpenTelemetry(otel);
		created.setCaptureMdcAttributes(CorrelationIds.MDC_KEY);
		created.setCaptureExperimentalAttributes(true);
		try {
			created.start();
		}
		catch (LinkageError ex) {
			// An appender built against newer OpenTelemetry semantic conventions than the class
			// path has: the application starts, without log export, and says why
			logger.warn("Log events are not exported over OTLP: the OpenTelemetry Logback appender does not match"
					+ " the OpenTelemetry libraries on the class path (" + ex + "); use"
					+ " io.opentelemetry.semconv:opentelemetry-semconv 1.41.1 or later, as the Clambake starter does");
			return;
		}
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.addAppender(created);
		this.appender = created;
	}

	@Override
	public void destroy() {
		OpenTelemetryAppender installed = this.appender;
		if (installed != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(installed);
			installed.stop();
			this.appender = null;
		}
	}

	boolean installed() {
		return this.appender != null;
	}

}
