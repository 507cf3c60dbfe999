package dev.clambake.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Clambake's tracing settings. The endpoint and the sampling probability are Spring Boot's
 * own properties ({@code management.opentelemetry.tracing.export.otlp.endpoint},
 * {@code management.tracing.sampling.probability}).
 */
@ConfigurationProperties("clambake.tracing")
public class ClambakeTracingProperties {

	/**
	 * Whether Clambake's tracing capability is on.
	 */
	private boolean enabled = true;

	/**
	 * Whether every finished, sampled span is printed as a log line on the 'clambake.spans' logger, for local development.
	 */
	private boolean logSpans = false;

	private final FastPathSwitches fastPaths = new FastPathSwitches();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isLogSpans() {
		return this.logSpans;
	}

	public void setLogSpans(boolean logSpans) {
		this.logSpans = logSpans;
	}

	public FastPathSwitches getFastPaths() {
		return this.fastPaths;
	}

	/**
	 * Tracing's fast paths: each skips work of Spring Boot's that nobody sees, relying on a
	 * non-public detail of Boot's; when the detail changes it falls back with a warning.
	 */
	public static class FastPathSwitches {

		/**
		 * Whether meter handlers put only sampled spans back in scope for exemplars (relies on Spring Boot's TracingAndMeterObservationHandlerGroup class).
		 */
		private boolean sampledSpanMeters = true;

		/**
		 * Whether inbound requests skip the remote-field baggage propagator when no remote fields are set (relies on Spring Boot's CompositeTextMapPropagator class).
		 */
		private boolean noRemoteFieldsPropagation = true;

		/**
		 * Whether sampled spans skip the batch span processor while there is no exporter (relies on Spring Boot's 'otelSpanProcessor' bean name).
		 */
		private boolean noExporterSpanProcessors = true;

		public boolean isSampledSpanMeters() {
			return this.sampledSpanMeters;
		}

		public void setSampledSpanMeters(boolean sampledSpanMeters) {
			this.sampledSpanMeters = sampledSpanMeters;
		}

		public boolean isNoRemoteFieldsPropagation() {
			return this.noRemoteFieldsPropagation;
		}

		public void setNoRemoteFieldsPropagation(boolean noRemoteFieldsPropagation) {
			this.noRemoteFieldsPropagation = noRemoteFieldsPropagation;
		}

		public boolean isNoExporterSpanProcessors() {
			return this.noExporterSpanProcessors;
		}

		public void setNoExporterSpanProcessors(boolean noExporterSpanProcessors) {
			this.noExporterSpanProcessors = noExporterSpanProcessors;
		}

	}

}
