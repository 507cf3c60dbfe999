package dev.clambake.health;

import java.util.Set;
import java.util.stream.Collectors;

import dev.clambake.config.ClambakeCapability;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for Clambake's health capability: every health contributor is read
 * through a time box ({@code clambake.health.timeout}), checks run in parallel on a small
 * executor with at most one run in flight per contributor, and contributors declared by
 * {@link ClambakeReadinessMember} beans join the readiness group. The {@code DEGRADED}
 * status, its order and HTTP mapping, the probe groups and the exposure of details are
 * Spring Boot properties set in Clambake's defaults.
 */
@AutoConfiguration(afterName = "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration")
@ConditionalOnClass(HealthContributorRegistry.class)
@ConditionalOnBooleanProperty(name = "clambake.health.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeHealthProperties.class)
public final class ClambakeHealthAutoConfiguration {

	@Bean
	ClambakeCapability clambakeHealthCapability() {
		return new ClambakeCapability("health");
	}

	@Bean
	@ConditionalOnMissingBean
	ClambakeHealthExecutor clambakeHealthExecutor(ClambakeHealthProperties properties) {
		return new ClambakeHealthExecutor(properties.getMaxThreads());
	}

	// Why decorate the registries: Boot 4's HealthEndpoint and its web extensions read every
	// contributor through the HealthContributorRegistry bean and, when Reactor is present, the
	// ReactiveHealthContributorRegistry bean, which hold the application's beans and anything
	// registered at run time, composites included. Wrapping those beans reaches all of them
	// without changing any contributor bean's type (wrapping indicator beans would break
	// injection by their own class) and without replacing Boot's endpoint beans; Boot
	// post-processes its HealthEndpointGroups bean the same way.
	@Bean
	static TimeBoxingRegistryPostProcessor clambakeHealthRegistryPostProcessor(
			ObjectProvider<ClambakeHealthProperties> properties, ObjectProvider<ClambakeHealthExecutor> executor) {
		return new TimeBoxingRegistryPostProcessor(properties, executor);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class HealthMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(HealthContributorRegistry.class)
		HealthStatusMetrics clambakeHealthStatusMetrics(HealthContributorRegistry registry,
				ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry) {
			ReactiveHealthContributorRegistry reactive = reactiveRegistry.getIfAvailable();
			return new HealthStatusMetrics(
					(reactive != null) ? HealthContributors.of(registry, reactive.asHealthContributors()) : registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthEndpointGroupsPostProcessor.class, AdditionalPathsMapper.class })
	static class ReadinessMembersConfiguration {

		@Bean
		ReadinessMembersGroupsPostProcessor clambakeReadinessMembersGroupsPostProcessor(
				ObjectProvider<ClambakeReadinessMember> members, Environment environment) {
			Set<String> names = members.orderedStream()
				.map(ClambakeReadinessMember::contributorName)
				.collect(Collectors.toSet());
			Set<String> excluded = Binder.get(environment)
				.bind("management.endpoint.health.group.readiness.exclude", Bindable.setOf(String.class))
				.orElse(Set.of());
			return new ReadinessMembersGroupsPostProcessor(names, excluded);
		}

	}

	/**
	 * Decorates the {@link HealthContributorRegistry} and
	 * {@link ReactiveHealthContributorRegistry} beans, whoever declared them, with time boxes.
	 */
	static final class TimeBoxingRegistryPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<ClambakeHealthProperties> properties;

		private final ObjectProvider<ClambakeHealthExecutor> executor;

		TimeBoxingRegistryPostProcessor(ObjectProvider<ClambakeHealthProperties> properties,
				ObjectProvider<ClambakeHealthExecutor> executor) {
			this.properties = properties;
			this.executor = executor;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
			if (bean instanceof HealthContributorRegistry registry
					&& !(bean instanceof TimeBoxedHealthContributorRegistry)) {
				return new TimeBoxedHealthContributorRegistry(registry, timeBoxed());
			}
			if (bean instanceof ReactiveHealthContributorRegistry registry
					&& !(bean instanceof TimeBoxedReactiveHealthContributorRegistry)) {
				return new TimeBoxedReactiveHealthContributorRegistry(registry, timeBoxed());
			}
			return bean;
		}

		private TimeBoxedHealthContributors timeBoxed() {
			ClambakeHealthExecutor executor = this.executor.getObject();
			return new TimeBoxedHealthContributors(this.properties.getObject(), executor::execute);
		}

	}

}
