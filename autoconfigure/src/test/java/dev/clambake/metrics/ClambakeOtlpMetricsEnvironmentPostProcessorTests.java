package dev.clambake.metrics;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClambakeOtlpMetricsEnvironmentPostProcessor}.
 */
class ClambakeOtlpMetricsEnvironmentPostProcessorTests {

	private final ClambakeOtlpMetricsEnvironmentPostProcessor processor = new ClambakeOtlpMetricsEnvironmentPostProcessor();

	@Test
	void withoutAnEndpointOtlpMetricsAreOff() {
		MockEnvironment environment = new MockEnvironment();
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("false");
	}

	@Test
	void withAnEndpointNothingIsAdded() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.otlp.metrics.export.url", "http://collector:4318/v1/metrics");
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isNull();
	}

	@Test
	void anExplicitSettingWins() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.otlp.metrics.export.enabled", "true");
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("true");
	}

}
