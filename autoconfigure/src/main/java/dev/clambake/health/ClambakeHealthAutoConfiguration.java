package dev.clambake.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.clambake.config.ClambakeCapability;

import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Auto-configuration for Clambake's health capability: every health contributor is read
 * through a time box ({@code clambake.health.timeout}), checks run in parallel on a small
 * executor with at most one run in flight per contributor, results are damped and weighed
 * by criticality ({@code clambake.health.components.<name>.*}), contributors declared by
 * {@link ClambakeReadinessMember} beans or configured as critical join the readiness group,
 * a deadlock detector joins the liveness group, and {@link WarmUp} beans or warm-up requests
 * hold readiness until warm-up ends. The {@code DEGRADED}
 * status, its order and HTTP mapping, the probe groups and the exposure of details are
 * Spring Boot properties set in Clambake's defaults.
 */
@AutoConfiguration(afterName = "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration")
@ConditionalOnClass(HealthContributorRegistry.class)
@ConditionalOnBooleanProperty(name = "clambake.health.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeHealthProperties.class)
public final class ClambakeHealthAutoConfiguration {

	static final String LIVENESS_DEADLOCKS = "deadlocks";

	static final String LIVENESS_STUCK_REQUESTS = "stuckRequests";

	static final String STARTUP_WARM_UP = "warmUp";

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

	@Bean
	@ConditionalOnMissingBean(name = "deadlocksHealthIndicator")
	@ConditionalOnBooleanProperty(name = "clambake.health.liveness.deadlock-detection", matchIfMissing = true)
	DeadlockHealthIndicator deadlocksHealthIndicator() {
		return new DeadlockHealthIndicator();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ Filter.class, OncePerRequestFilter.class, FilterRegistrationBean.class })
	@ConditionalOnProperty("clambake.health.liveness.stuck-request-timeout")
	static class StuckRequestsConfiguration {

		private final InFlightRequests requests = new InFlightRequests();

		@Bean
		@ConditionalOnMissingBean(name = "stuckRequestsHealthIndicator")
		StuckRequestsHealthIndicator stuckRequestsHealthIndicator(ClambakeHealthProperties properties) {
			ClambakeHealthProperties.Liveness liveness = properties.getLiveness();
			Duration timeout = liveness.getStuckRequestTimeout();
			Assert.state(timeout != null, "clambake.health.liveness.stuck-request-timeout is set");
			return new StuckRequestsHealthIndicator(this.requests, timeout, liveness.getStuckRequestThreshold());
		}

		@Bean
		@ConditionalOnMissingFilterBean(StuckRequestFilter.class)
		FilterRegistrationBean<StuckRequestFilter> clambakeStuckRequestFilter() {
			FilterRegistrationBean<StuckRequestFilter> registration = new FilterRegistrationBean<>(
					new StuckRequestFilter(this.requests));
			// Outermost, so time spent in other filters counts
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthEndpointGroupsPostProcessor.class, AdditionalPathsMapper.class })
	static class ProbeGroupMembersConfiguration {

		@Bean
		ProbeGroupMembersPostProcessor clambakeProbeGroupMembersPostProcessor(
				ObjectProvider<ClambakeReadinessMember> members, ClambakeHealthProperties properties,
				Environment environment) {
			Set<String> readiness = new LinkedHashSet<>();
			members.orderedStream().map(ClambakeReadinessMember::contributorName).forEach(readiness::add);
			properties.getComponents()
				.forEach((name, component) -> {
					if (component.getCriticality() == Criticality.CRITICAL) {
						readiness.add(name);
					}
				});
			Map<String, Set<String>> groups = Map.of(ProbeGroupMembersPostProcessor.READINESS, readiness,
					ProbeGroupMembersPostProcessor.LIVENESS, Set.of(LIVENESS_DEADLOCKS, LIVENESS_STUCK_REQUESTS),
					ProbeGroupMembersPostProcessor.STARTUP, Set.of(STARTUP_WARM_UP));
			Map<String, Set<String>> excluded = new LinkedHashMap<>();
			for (String group : groups.keySet()) {
				excluded.put(group, Binder.get(environment)
					.bind("management.endpoint.health.group." + group + ".exclude", Bindable.setOf(String.class))
					.orElse(Set.of()));
			}
			return new ProbeGroupMembersPostProcessor(groups, excluded);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WarmUpConfiguredCondition.class)
	static class WarmUpConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClambakeWarmUp clambakeWarmUp(ObjectProvider<WarmUp> warmUps, ClambakeHealthProperties properties,
				Environment environment) {
			return new ClambakeWarmUp(warmUps.orderedStream().toList(), properties.getWarmUp(), environment);
		}

		@Bean
		@ConditionalOnMissingBean(name = "warmUpHealthIndicator")
		WarmUpHealthIndicator warmUpHealthIndicator(ClambakeWarmUp warmUp) {
			return new WarmUpHealthIndicator(warmUp);
		}

	}

	/**
	 * Matches when there is warm-up work: a {@link WarmUp} bean or warm-up requests.
	 */
	static final class WarmUpConfiguredCondition extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			// After the application's own bean definitions, so its WarmUp beans are seen
			return ConfigurationPhase.REGISTER_BEAN;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			List<String> requests = Binder.get(context.getEnvironment())
				.bind("clambake.health.warm-up.requests", Bindable.listOf(String.class))
				.orElse(List.of());
			if (!requests.isEmpty()) {
				return ConditionOutcome.match("clambake.health.warm-up.requests is set");
			}
			ConfigurableListableBeanFactory beans = context.getBeanFactory();
			if (beans != null && beans.getBeanNamesForType(WarmUp.class, true, false).length > 0) {
				return ConditionOutcome.match("WarmUp beans exist");
			}
			return ConditionOutcome.noMatch("no WarmUp bean and no clambake.health.warm-up.requests");
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
