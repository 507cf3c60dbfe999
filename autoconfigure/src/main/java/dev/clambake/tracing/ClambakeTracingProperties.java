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

}
