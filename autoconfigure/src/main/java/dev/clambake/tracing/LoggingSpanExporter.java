package dev.clambake.tracing;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints each finished span as one INFO line on the {@value #LOGGER_NAME} logger: name,
 * kind, trace id, span id, parent span id, duration, status and attributes.
 */
public class LoggingSpanExporter implements SpanExporter {

	/**
	 * The logger spans are printed to.
	 */
	public static final String LOGGER_NAME = "clambake.spans";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		for (SpanData span : spans) {
			long micros = TimeUnit.NANOSECONDS.toMicros(span.getEndEpochNanos() - span.getStartEpochNanos());
			logger.info("Span '{}' kind={} traceId={} spanId={} parentSpanId={} duration={}ms status={} attributes={}",
					span.getName(), span.getKind(), span.getTraceId(), span.getSpanId(), span.getParentSpanId(),
					micros / 1000.0, span.getStatus().getStatusCode(), span.getAttributes().asMap());
		}
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
