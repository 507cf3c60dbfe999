package dev.clambake.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration for Clambake's configuration capability: binds and validates the shared
 * properties (at start-up, lazy initialization or not), exposes {@link FeatureFlags}, masks
 * secrets in actuator output, logs the start-up summary, warns about properties set for a
 * capability that is off for want of a library ({@link MissingLibraryWarnings}) and keeps the
 * annotation aspects the other capabilities switch on cheap at start-up
 * ({@link AnnotationAspectAdvisorFactory}).
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
			ObjectProvider<StartupSummaryContributor> contributors, FastPaths fastPaths) {
		return new ClambakeStartupSummary(properties.getEnvironment(), capabilities.orderedStream().toList(),
				featureFlags, contributors.orderedStream().toList(), fastPaths);
	}

	// Static: the post-processors that take fast paths report to it before other beans exist
	@Bean
	@ConditionalOnMissingBean
	static FastPaths clambakeFastPaths() {
		return new FastPaths();
	}

	@Bean
	@ConditionalOnMissingBean
	MissingLibraryWarnings clambakeMissingLibraryWarnings(Environment environment, ResourceLoader resourceLoader,
			ObjectProvider<ClambakeCapability> capabilities) {
		return new MissingLibraryWarnings(environment, resourceLoader.getClassLoader(), capabilities);
	}

	/**
	 * Binds every {@code clambake.*} properties bean at start-up even with
	 * {@code spring.main.lazy-initialization=true}, so that a bad value still stops start-up
	 * with its property, value and origin instead of failing whatever first needs it later.
	 * @return the filter that keeps those beans eager
	 */
	@Bean
	static LazyInitializationExcludeFilter clambakePropertiesLazyInitializationExcludeFilter() {
		return (beanName, beanDefinition, beanType) -> beanType != null && isClambakeProperties(beanType);
	}

	private static boolean isClambakeProperties(Class<?> type) {
		MergedAnnotation<ConfigurationProperties> properties = MergedAnnotations.from(type)
			.get(ConfigurationProperties.class);
		if (!properties.isPresent()) {
			return false;
		}
		String prefix = properties.getString("prefix");
		return prefix.equals("clambake") || prefix.startsWith("clambake.");
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
	@ConditionalOnBooleanProperty(name = AnnotationAspectAdvisorFactory.PROPERTY, matchIfMissing = true)
	static class AnnotationAspectsConfiguration {

		@Bean
		static AnnotationAspectsPostProcessor clambakeAnnotationAspectsPostProcessor() {
			return new AnnotationAspectsPostProcessor();
		}

	}

}
