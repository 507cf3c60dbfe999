package dev.clambake.metrics;

import java.util.Set;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.ClambakeConfigAutoConfiguration;
import dev.clambake.config.ClambakeEnvironment;
import dev.clambake.config.FastPaths;
import dev.clambake.config.FeatureFlags;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.TracingObservationHandler;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Auto-configuration for Clambake's metrics capability: {@code application} and
 * {@code environment} tags on every meter, SLO histogram buckets for HTTP latency,
 * slow-operation detection with lifecycle events for every observation,
 * {@link Operations} for timing blocks of code, and feature-flag gauges. In Spring MVC
 * applications, requests outside the actuator's paths skip its handler mappings
 * ({@link EndpointMappingPrefilter}).
 */
@AutoConfiguration(after = { ClambakeConfigAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class, ObservationAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
		beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "clambake.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ ClambakeMetricsProperties.class, ClambakeObservabilityProperties.class })
public final class ClambakeMetricsAutoConfiguration {

	@Bean
	ClambakeCapability clambakeMetricsCapability() {
		return new ClambakeCapability("metrics");
	}

	@Bean
	@ConditionalOnMissingBean(name = "clambakeCommonTagsMeterFilter")
	ClambakeMeterFilters.CommonTags clambakeCommonTagsMeterFilter(Environment environment) {
		return new ClambakeMeterFilters.CommonTags(environment.getProperty("spring.application.name", "application"),
				ClambakeEnvironment.of(environment).value());
	}

	@Bean
	@ConditionalOnMissingBean(name = "clambakeDescriptionsMeterFilter")
	ClambakeMeterFilters.Descriptions clambakeDescriptionsMeterFilter() {
		return new ClambakeMeterFilters.Descriptions();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "clambake.metrics.cardinality.enabled", matchIfMissing = true)
	CardinalityGuard clambakeCardinalityGuard(ClambakeMetricsProperties properties,
			ObjectProvider<MeterRegistry> registry) {
		return new CardinalityGuard(properties.getCardinality().getMaxSeries(),
				properties.getCardinality().getMaxSeriesByMeter(), registry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "clambakeSloMeterFilter")
	ClambakeMeterFilters.Slo clambakeSloMeterFilter(ClambakeMetricsProperties properties) {
		return new ClambakeMeterFilters.Slo(properties.getSlo());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(FeatureFlags.class)
	FeatureFlagMetrics clambakeFeatureFlagMetrics(FeatureFlags featureFlags) {
		return new FeatureFlagMetrics(featureFlags);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		SlowOperationObservationHandler slowOperationObservationHandler(MeterRegistry meterRegistry,
				ClambakeObservabilityProperties properties, ObjectProvider<TraceIdLookup> traceIdLookup,
				ApplicationEventPublisher eventPublisher) {
			return new SlowOperationObservationHandler(meterRegistry, properties,
					traceIdLookup.getIfAvailable(() -> TraceIdLookup.MDC_ONLY),
					properties.isEvents() ? eventPublisher : null);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(ObservationRegistry.class)
		Operations clambakeOperations(ObservationRegistry observationRegistry) {
			return new Operations(observationRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TracingObservationHandler.class)
	static class TracingTraceIdConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TraceIdLookup clambakeTraceIdLookup() {
			return (context) -> {
				TracingObservationHandler.TracingContext tracing = context
					.get(TracingObservationHandler.TracingContext.class);
				if (tracing != null && tracing.getSpan() != null) {
					return tracing.getSpan().context().traceId();
				}
				return TraceIdLookup.MDC_ONLY.traceId(context);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(AbstractWebMvcEndpointHandlerMapping.class)
	static class EndpointMappingConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(name = EndpointMappingPrefilter.PROPERTY, matchIfMissing = true)
		static EndpointMappingPrefilter clambakeEndpointMappingPrefilter(ObjectProvider<FastPaths> fastPaths) {
			return new EndpointMappingPrefilter(fastPaths);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ ServerHttpObservationFilter.class, FilterRegistrationBean.class,
			TracingObservationHandler.class })
	@ConditionalOnBean({ ObservationRegistry.class, MeterRegistry.class })
	@ConditionalOnBooleanProperty(DirectServerHttpObservationFilter.PROPERTY)
	@EnableConfigurationProperties(ObservationProperties.class)
	static class DirectServerObservationConfiguration {

		// Spring Boot's registration of Spring's filter, with the filter that can skip the Observation
		@Bean
		@ConditionalOnMissingFilterBean(ServerHttpObservationFilter.class)
		FilterRegistrationBean<ServerHttpObservationFilter> clambakeWebMvcObservationFilter(
				ObservationRegistry observationRegistry, MeterRegistry meterRegistry,
				ObjectProvider<ServerRequestObservationConvention> customConvention,
				ObservationProperties observationProperties, Environment environment,
				ObjectProvider<FastPaths> fastPaths) {
			String name = observationProperties.getHttp().getServer().getRequests().getName();
			ServerRequestObservationConvention convention = customConvention
				.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name));
			Set<IgnoredMeters> ignoredMeters = Binder.get(environment)
				.bind("management.metrics.observations.ignored-meters", Bindable.setOf(IgnoredMeters.class))
				.orElse(Set.of());
			DirectServerHttpObservationFilter filter = new DirectServerHttpObservationFilter(observationRegistry,
					convention, meterRegistry, !ignoredMeters.contains(IgnoredMeters.LONG_TASK_TIMER),
					FastPaths.from(fastPaths));
			FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
			return registration;
		}

	}

}
