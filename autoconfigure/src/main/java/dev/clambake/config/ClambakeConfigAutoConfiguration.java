package dev.clambake.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for Clambake's configuration capability: binds and validates the shared
 * properties, exposes {@link FeatureFlags}, masks secrets in actuator output, logs the
 * start-up summary and keeps the annotation aspects the other capabilities switch on cheap at
 * start-up ({@link AnnotationAspectAdvisorFactory}).
 */
@AutoConfiguration
@EnableConfigurationProperties({ ClambakeProperties.class, ClambakeConfigProperties.class })
public final class ClambakeConfigAutoConfiguration {

	@Bean
	ClambakeCapability clambakeConfigCapability() {
		return new ClambakeCapability("config");
	}

	@Bean
	@ConditionalOnMissingBean
	FeatureFlags featureFlags(ClambakeProperties properties, Environment environment) {
		return new FeatureFlags(properties.getFeatures(), environment);
	}

	@Bean
	@ConditionalOnMissingBean
	ClambakeStartupSummary clambakeStartupSummary(ClambakeProperties properties,
			ObjectProvider<ClambakeCapability> capabilities, FeatureFlags featureFlags,
			ObjectProvider<StartupSummaryContributor> contributors) {
		return new ClambakeStartupSummary(properties.getEnvironment(), capabilities.orderedStream().toList(),
				featureFlags, contributors.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SecretSanitizingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SecretSanitizingFunction clambakeSecretSanitizingFunction() {
			return new SecretSanitizingFunction();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.aspectj.weaver.Advice")
	static class AnnotationAspectsConfiguration {

		@Bean
		static AnnotationAspectsPostProcessor clambakeAnnotationAspectsPostProcessor() {
			return new AnnotationAspectsPostProcessor();
		}

	}

}
