package dev.clambake.metrics;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the OTLP metrics registry (brought in with OpenTelemetry) from pushing to
 * {@code localhost:4318} every minute, and logging connection errors, when no OTLP metrics
 * endpoint is configured: adds {@code management.otlp.metrics.export.enabled=false} as a
 * lowest-precedence source named {@value #SOURCE_NAME} unless
 * {@code management.otlp.metrics.export.url} is set. Setting the enabled property
 * explicitly always wins.
 */
public class ClambakeOtlpMetricsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The name of the property source this adds.
	 */
	public static final String SOURCE_NAME = "clambakeOtlpMetricsDefaults";

	static final String URL = "management.otlp.metrics.export.url";

	static final String ENABLED = "management.otlp.metrics.export.enabled";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(URL) || environment.getPropertySources().contains(SOURCE_NAME)) {
			return;
		}
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(ENABLED, "false")));
	}

	@Override
	public int getOrder() {
		// After the application's configuration files have been loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

}
