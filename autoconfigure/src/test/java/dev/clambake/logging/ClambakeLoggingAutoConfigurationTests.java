package dev.clambake.logging;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import dev.clambake.config.ClambakeCapability;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeLoggingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeLoggingAutoConfiguration.class));

	@Test
	void defaultsReportTheCapabilityAndBindTheProperties() {
		this.runner.run((context) -> {
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.containsExactly(new ClambakeCapability("logging"));
			ClambakeLoggingProperties properties = context.getBean(ClambakeLoggingProperties.class);
			assertThat(properties.getFormat()).isEqualTo(LogFormat.AUTO);
			assertThat(properties.getFile().getDir()).isNull();
			assertThat(properties.getFile().getMaxHistory()).isEqualTo(7);
			assertThat(properties.getFile().getTotalSizeCap()).isEqualTo(DataSize.ofGigabytes(1));
		});
	}

	@Test
	void disabledRegistersNothing() {
		this.runner.withPropertyValues("clambake.logging.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeCapability.class)
				.doesNotHaveBean(ClambakeLoggingProperties.class));
	}

	@Test
	void userValuesBind() {
		this.runner
			.withPropertyValues("clambake.logging.format=JSON", "clambake.logging.file.dir=/var/log/orders",
					"clambake.logging.file.max-history=30", "clambake.logging.file.total-size-cap=200MB")
			.run((context) -> {
				ClambakeLoggingProperties properties = context.getBean(ClambakeLoggingProperties.class);
				assertThat(properties.getFormat()).isEqualTo(LogFormat.JSON);
				assertThat(properties.getFile().getDir()).hasToString("/var/log/orders");
				assertThat(properties.getFile().getMaxHistory()).isEqualTo(30);
				assertThat(properties.getFile().getTotalSizeCap()).isEqualTo(DataSize.ofMegabytes(200));
			});
	}

	@Test
	void invalidValuesFailStartUp() {
		this.runner.withPropertyValues("clambake.logging.file.max-history=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("at least 1"));
		this.runner.withPropertyValues("clambake.logging.format=yaml")
			.run((context) -> assertThat(context).hasFailed());
	}

}
