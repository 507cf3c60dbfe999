package dev.clambake.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class ClambakeEnvironmentVariablesPostProcessorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(ClambakeConfigAutoConfiguration.class);

	@Test
	void bootBindsUnderscoredVariablesToDashedProperties() {
		this.runner
			.withInitializer(TestEnvironments.create()
				.env("CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV", "true")
				.env("CLAMBAKE_ENVIRONMENT", "production")
				.initializer())
			.run((context) -> {
				assertThat(context.getBean(ClambakeConfigProperties.class).isFailOnUnknownEnv()).isTrue();
				assertThat(context.getBean(ClambakeProperties.class).getEnvironment())
					.isEqualTo(ClambakeEnvironment.PRODUCTION);
			});
	}

	@Test
	void mapVariableTakesTheRestOfItsNameAsTheKey() {
		this.runner
			.withInitializer(TestEnvironments.create()
				.env("CLAMBAKE_FEATURES_NEW_CHECKOUT", "true")
				.env("CLAMBAKE_FEATURES_DARK_MODE", "false")
				.initializer())
			.run((context) -> {
				assertThat(context.getBean(ClambakeProperties.class).getFeatures())
					.containsOnlyKeys("new-checkout", "dark-mode");
				FeatureFlags flags = context.getBean(FeatureFlags.class);
				assertThat(flags.isEnabled("new-checkout")).isTrue();
				assertThat(flags.isEnabled("dark-mode")).isFalse();
				assertThat(flags.list().get(1).origin())
					.isEqualTo("System Environment Property \"CLAMBAKE_FEATURES_NEW_CHECKOUT\"");
			});
	}

	@Test
	void otherVariablesStillResolveAfterMapEntriesAreMoved() {
		ConfigurableEnvironment environment = TestEnvironments.create()
			.env("CLAMBAKE_FEATURES_NEW_CHECKOUT", "true")
			.env("CLAMBAKE_ENVIRONMENT", "staging")
			.env("HOME_DIRECTORY", "/home/app")
			.build();
		assertThat(environment.getProperty("clambake.environment")).isEqualTo("staging");
		assertThat(environment.getProperty("home.directory")).isEqualTo("/home/app");
		assertThat(environment.getProperty("clambake.features.new.checkout")).isNull();
		assertThat(environment.getProperty("clambake.features.new-checkout")).isEqualTo("true");
	}

	@Test
	void unknownVariableLogsOneWarningNamingTheClosestKnownVariable(CapturedOutput output) {
		TestEnvironments.create().env("CLAMBAKE_ENVIROMENT", "staging").env("CLAMBAKE_FEATURES_X", "true").build();
		assertThat(output).containsOnlyOnce("CLAMBAKE_ENVIROMENT")
			.contains("Environment variable CLAMBAKE_ENVIROMENT matches no Clambake property")
			.contains("closest known variable: CLAMBAKE_ENVIRONMENT")
			.doesNotContain("CLAMBAKE_FEATURES_X")
			.doesNotContain("staging");
	}

	@Test
	void unknownMapVariableSuggestsTheSameKeyUnderTheRightMap(CapturedOutput output) {
		TestEnvironments.create().env("CLAMBAKE_FEATUERS_NEW_CHECKOUT", "true").build();
		assertThat(output).contains("closest known variable: CLAMBAKE_FEATURES_NEW_CHECKOUT");
	}

	@Test
	void knownVariablesInEitherBootFormAreNotReported(CapturedOutput output) {
		TestEnvironments.create()
			.env("CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV", "false")
			.env("CLAMBAKE_CONFIG_FAILONUNKNOWNENV", "false")
			.env("CLAMBAKE_CONFIG_LOCATION", ".")
			.build();
		assertThat(output).doesNotContain("matches no Clambake property");
	}

	@Test
	void unknownVariableFailsStartUpWhenStrict() {
		assertThatExceptionOfType(UnknownEnvironmentVariablesException.class)
			.isThrownBy(() -> TestEnvironments.create()
				.env("CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV", "true")
				.env("CLAMBAKE_ENVIROMENT", "staging")
				.build())
			.satisfies((ex) -> {
				assertThat(ex.getVariables()).extracting(UnknownEnvironmentVariable::name)
					.containsExactly("CLAMBAKE_ENVIROMENT");
				assertThat(ex.getDescription()).contains("CLAMBAKE_ENVIROMENT")
					.contains("CLAMBAKE_ENVIRONMENT")
					.doesNotContain("staging");
				assertThat(ex.getAction()).contains("clambake.config.fail-on-unknown-env");
			});
	}

	@Test
	void strictModeMayComeFromTheApplicationConfiguration() {
		assertThatExceptionOfType(UnknownEnvironmentVariablesException.class)
			.isThrownBy(() -> TestEnvironments.create()
				.applicationProperty("clambake.config.fail-on-unknown-env", "true")
				.env("CLAMBAKE_NOPE", "1")
				.build());
	}

	@Test
	void distanceCountsEdits() {
		assertThat(ClambakePropertyCatalog.distance("kitten", "sitting")).isEqualTo(3);
		assertThat(ClambakePropertyCatalog.distance("same", "same")).isZero();
	}

}
