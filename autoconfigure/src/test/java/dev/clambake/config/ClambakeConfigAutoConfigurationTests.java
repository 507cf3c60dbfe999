package dev.clambake.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class ClambakeConfigAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeConfigAutoConfiguration.class));

	@Test
	void defaultsRegisterPropertiesFlagsSummaryAndSanitizer() {
		this.runner.run((context) -> {
			assertThat(context.getBean(ClambakeProperties.class).getEnvironment())
				.isEqualTo(ClambakeEnvironment.DEVELOPMENT);
			assertThat(context.getBean(ClambakeConfigProperties.class).isFailOnUnknownEnv()).isFalse();
			assertThat(context).hasSingleBean(FeatureFlags.class)
				.hasSingleBean(ClambakeStartupSummary.class)
				.hasSingleBean(SecretSanitizingFunction.class);
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.containsExactly(new ClambakeCapability("config"));
		});
	}

	@Test
	void environmentValueIsCaseInsensitive() {
		this.runner.withPropertyValues("clambake.environment=Production")
			.run((context) -> assertThat(context.getBean(ClambakeProperties.class).getEnvironment())
				.isEqualTo(ClambakeEnvironment.PRODUCTION));
	}

	@Test
	void environmentIsReadAsThePropertiesBindItFromVariablesFilesAndDefaults() {
		assertThat(ClambakeEnvironment.of(TestEnvironments.create().build())).isEqualTo(ClambakeEnvironment.DEVELOPMENT);
		assertThat(ClambakeEnvironment.of(TestEnvironments.create().env("CLAMBAKE_ENVIRONMENT", "Staging").build()))
			.isEqualTo(ClambakeEnvironment.STAGING);
		assertThat(ClambakeEnvironment
			.of(TestEnvironments.create().applicationProperty("clambake.environment", "production").build()))
			.isEqualTo(ClambakeEnvironment.PRODUCTION);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> ClambakeEnvironment
				.of(TestEnvironments.create().env("CLAMBAKE_ENVIRONMENT", "banana").build()))
			.withMessageContaining("clambake.environment");
		this.runner.withInitializer(TestEnvironments.create().env("CLAMBAKE_ENVIRONMENT", "testing").initializer())
			.run((context) -> assertThat(ClambakeEnvironment.of(context.getEnvironment()))
				.isEqualTo(context.getBean(ClambakeProperties.class).getEnvironment())
				.isEqualTo(ClambakeEnvironment.TESTING));
	}

	@Test
	void invalidEnvironmentFailsStartUp() {
		this.runner.withPropertyValues("clambake.environment=banana")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("banana"));
	}

	@Test
	void badValueStopsStartUpEvenWithLazyInitialization() {
		this.runner.withInitializer(ClambakeConfigAutoConfigurationTests::lazyInitialization)
			.withPropertyValues("clambake.config.fail-on-unknown-env=maybe")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("maybe"));
	}

	@Test
	void withLazyInitializationOnlyClambakePropertiesAreBoundEagerly() {
		this.runner.withInitializer(ClambakeConfigAutoConfigurationTests::lazyInitialization)
			.withUserConfiguration(OtherPropertiesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ConfigurableListableBeanFactory beans = context.getBeanFactory();
				assertThat(beans.getBeanNamesForType(ClambakeConfigProperties.class))
					.allSatisfy((name) -> assertThat(beans.getBeanDefinition(name).isLazyInit()).isFalse());
				assertThat(beans.getBeanNamesForType(OtherProperties.class))
					.allSatisfy((name) -> assertThat(beans.getBeanDefinition(name).isLazyInit()).isTrue());
			});
	}

	private static void lazyInitialization(ConfigurableApplicationContext context) {
		// What spring.main.lazy-initialization=true makes SpringApplication add
		context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor());
	}

	@Test
	void missingActuatorLeavesOutTheSanitizer() {
		this.runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).hasSingleBean(FeatureFlags.class)
				.doesNotHaveBean(SecretSanitizingFunction.class));
	}

	@Test
	void userBeansWin() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(FeatureFlags.class)).isSameAs(UserBeans.FLAGS);
			assertThat(context.getBean(SecretSanitizingFunction.class)).isSameAs(UserBeans.SANITIZER);
		});
	}

	@Test
	void unsetFlagIsOff() {
		this.runner.withPropertyValues("clambake.features.new-checkout=true")
			.run((context) -> {
				FeatureFlags flags = context.getBean(FeatureFlags.class);
				assertThat(flags.isEnabled("new-checkout")).isTrue();
				assertThat(flags.isEnabled("never-set")).isFalse();
			});
	}

	@Test
	void summaryNamesVersionEnvironmentCapabilitiesAndFlags(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.environment=staging", "clambake.features.new-checkout=true")
			.run((context) -> {
				context.publishEvent(mock(ApplicationReadyEvent.class));
				assertThat(output).containsOnlyOnce("Clambake " + ClambakeVersion.get() + " ready")
					.contains("environment=staging")
					.contains("config=on")
					.contains("state=off")
					.contains("new-checkout=on");
			});
	}

	@Test
	void sanitizerMasksSecretsOnly() {
		SecretSanitizingFunction function = new SecretSanitizingFunction();
		var source = new org.springframework.core.env.MapPropertySource("test", Map.of());
		SanitizableData secret = new SanitizableData(source, "clambake.state.password", "hunter2");
		SanitizableData plain = new SanitizableData(source, "clambake.environment", "staging");
		assertThat(function.apply(secret).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(function.apply(plain).getValue()).isEqualTo("staging");
	}

	@Test
	void versionIsTheBuiltVersion() {
		assertThat(ClambakeVersion.get()).isNotBlank().doesNotContain("${").isNotEqualTo("unknown");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(OtherProperties.class)
	static class OtherPropertiesConfiguration {

	}

	@ConfigurationProperties("other")
	static class OtherProperties {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final FeatureFlags FLAGS = new FeatureFlags(Map.of(), new StandardEnvironment());

		static final SecretSanitizingFunction SANITIZER = new SecretSanitizingFunction();

		@Bean
		FeatureFlags userFlags() {
			return FLAGS;
		}

		@Bean
		SecretSanitizingFunction userSanitizer() {
			return SANITIZER;
		}

	}

}
