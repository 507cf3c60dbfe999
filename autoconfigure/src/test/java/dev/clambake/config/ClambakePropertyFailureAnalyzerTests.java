package dev.clambake.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakePropertyFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(ClambakeConfigAutoConfiguration.class, SampleConfiguration.class);

	@Test
	void unknownEnumValueNamesPropertyValueVariableAndAllowedValues() {
		FailureAnalysis analysis = analyze(TestEnvironments.create().env("CLAMBAKE_ENVIRONMENT", "banana"));
		assertThat(analysis.getDescription()).contains("Property: clambake.environment")
			.contains("Value:    \"banana\"")
			.contains("Origin:   environment variable CLAMBAKE_ENVIRONMENT")
			.contains("\"banana\" is not one of development, testing, staging, production");
		assertThat(analysis.getAction()).contains("one of development, testing, staging, production");
	}

	@Test
	void unparsableBooleanNamesAllowedValues() {
		FailureAnalysis analysis = analyze(
				TestEnvironments.create().env("CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV", "maybe"));
		assertThat(analysis.getDescription()).contains("clambake.config.fail-on-unknown-env")
			.contains("CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV")
			.contains("\"maybe\" is not true or false");
	}

	@Test
	void unparsableDurationNamesTheFormat() {
		FailureAnalysis analysis = analyze(TestEnvironments.create().applicationProperty("clambake.sample.timeout",
				"soon"));
		assertThat(analysis.getDescription()).contains("\"soon\" is not a duration")
			.contains("Origin:   \"clambake.sample.timeout\" from property source \"Config resource 'application.yml'\"");
		assertThat(analysis.getAction()).contains("500ms, 2s");
	}

	@Test
	void negativeDurationGivesTheReason() {
		FailureAnalysis analysis = analyze(TestEnvironments.create().env("CLAMBAKE_SAMPLE_TIMEOUT", "-5s"));
		assertThat(analysis.getDescription()).contains("Value:    \"-5s\"")
			.contains("Reason:   must not be negative")
			.contains("CLAMBAKE_SAMPLE_TIMEOUT");
	}

	@Test
	void secretValuesAreMasked() {
		FailureAnalysis analysis = analyze(TestEnvironments.create().env("CLAMBAKE_SAMPLE_API_TOKEN", "s3cr3t-value"));
		assertThat(analysis.getDescription()).contains("clambake.sample.api-token")
			.contains(SecretMasking.MASK)
			.doesNotContain("s3cr3t-value");
	}

	@Test
	void otherPropertiesAreLeftToSpringBoot() {
		this.runner.withPropertyValues("other.timeout=soon")
			.withUserConfiguration(OtherConfiguration.class)
			.run((context) -> assertThat(
					new ClambakePropertyFailureAnalyzer().analyze(context.getStartupFailure())).isNull());
	}

	private FailureAnalysis analyze(TestEnvironments environments) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withInitializer(environments.initializer()).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new ClambakePropertyFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).isNotNull();
		return analysis[0];
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SampleProperties.class)
	static class SampleConfiguration {

	}

	@ConfigurationProperties("clambake.sample")
	static class SampleProperties {

		private Duration timeout = Duration.ofSeconds(2);

		private Integer apiToken = 0;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			Assert.isTrue(!timeout.isNegative(), "must not be negative");
			this.timeout = timeout;
		}

		public Integer getApiToken() {
			return this.apiToken;
		}

		public void setApiToken(Integer apiToken) {
			this.apiToken = apiToken;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(OtherProperties.class)
	static class OtherConfiguration {

	}

	@ConfigurationProperties("other")
	static class OtherProperties {

		private Duration timeout = Duration.ofSeconds(1);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
