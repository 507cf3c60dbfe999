package dev.clambake.resilience;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.correlation.CorrelationIdExchangeFilter;

/**
 * Auto-configuration for Clambake's resilience capability: named HTTP clients
 * ({@code clambake.http.clients.<name>}, as {@code RestClient}s and, with WebFlux and
 * Resilience4j's Reactor module, as {@code WebClient}s) whose every call goes through Resilience4j's
 * registries, which Resilience4j's own auto-configuration builds from {@code resilience4j.*}
 * properties (Clambake's opinions are its {@code configs.default} entries in the
 * {@code clambakeDefaults} property source). The clients of Spring's HTTP service groups
 * ({@code @ImportHttpServices}) are guarded the same way, under the group's name.
 */
@AutoConfiguration(afterName = {
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
		"io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration",
		"io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration",
		"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ CircuitBreaker.class, Retry.class, TimeLimiter.class, Bulkhead.class })
@ConditionalOnBooleanProperty(name = "clambake.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ ClambakeResilienceProperties.class, ClambakeHttpClientsProperties.class })
public final class ClambakeResilienceAutoConfiguration {

	@Bean
	ClambakeCapability clambakeResilienceCapability() {
		return new ClambakeCapability("resilience");
	}

	/**
	 * Where the guards of named clients and HTTP service groups come from: Resilience4j's
	 * registries and, when metrics are on, the rate-limit recorders.
	 */
	static ClientGuards.Sources guards(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
			TimeLimiterRegistry timeLimiters, BulkheadRegistry bulkheads, ObjectProvider<HttpResponseRecorders> recorders,
			RateLimitGates gates) {
		HttpResponseRecorders responseRecorders = recorders.getIfAvailable(() -> (name) -> null);
		return new ClientGuards.Sources(circuitBreakers, retries, timeLimiters, bulkheads,
				responseRecorders::forClient, Clock.systemUTC(), gates);
	}

	@Bean
	@ConditionalOnMissingBean
	RateLimitGates clambakeRateLimitGates(ClambakeHttpClientsProperties properties) {
		return new RateLimitGates(properties.getClients());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestClient.class, ClientHttpRequestFactoryBuilder.class })
	static class RestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClambakeHttpClients clambakeHttpClients(ClambakeHttpClientsProperties properties,
				ObjectProvider<RestClient.Builder> builders,
				ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
				ObjectProvider<HttpClientSettings> settings, CircuitBreakerRegistry circuitBreakers,
				RetryRegistry retries, TimeLimiterRegistry timeLimiters, BulkheadRegistry bulkheads,
				ObjectProvider<HttpResponseRecorders> recorders, RateLimitGates gates, ResourceLoader resourceLoader) {
			return new ClambakeHttpClients(properties.getClients(), () -> builders.getIfAvailable(RestClient::builder),
					requestFactoryBuilder
						.getIfAvailable(() -> ClientHttpRequestFactoryBuilder.detect(resourceLoader.getClassLoader())),
					settings.getIfAvailable(HttpClientSettings::defaults),
					guards(circuitBreakers, retries, timeLimiters, bulkheads, recorders, gates));
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
		@ConditionalOnBooleanProperty(name = "clambake.resilience.http-service-groups", matchIfMissing = true)
		ResilientHttpServiceGroups clambakeResilientHttpServiceGroups(ClambakeHttpClientsProperties properties,
				CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, TimeLimiterRegistry timeLimiters,
				BulkheadRegistry bulkheads, ObjectProvider<HttpResponseRecorders> recorders, RateLimitGates gates) {
			return new ResilientHttpServiceGroups(properties.getClients(),
					guards(circuitBreakers, retries, timeLimiters, bulkheads, recorders, gates));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, ClientHttpConnectorBuilder.class, BulkheadOperator.class,
			CircuitBreakerOperator.class, RetryOperator.class, TimeLimiterOperator.class })
	static class WebClientConfiguration {

		// Spring Boot's property for the name of HTTP client observations, and its default
		private static final String OBSERVATION_NAME_PROPERTY = "management.observations.http.client.requests.name";

		private static final String OBSERVATION_NAME = "http.client.requests";

		@Bean
		@ConditionalOnMissingBean
		ClambakeWebClients clambakeWebClients(ClambakeHttpClientsProperties properties,
				ObjectProvider<WebClient.Builder> builders, ObjectProvider<ObservationRegistry> observationRegistry,
				ObjectProvider<ClientRequestObservationConvention> observationConvention,
				ObjectProvider<CorrelationIdExchangeFilter> correlationFilter, Environment environment,
				ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
				ObjectProvider<HttpClientSettings> settings, CircuitBreakerRegistry circuitBreakers,
				RetryRegistry retries, TimeLimiterRegistry timeLimiters, BulkheadRegistry bulkheads,
				ObjectProvider<HttpResponseRecorders> recorders, RateLimitGates gates, ResourceLoader resourceLoader) {
			Supplier<WebClient.Builder> withoutBootsBuilder = () -> builder(observationRegistry.getIfAvailable(),
					observationConvention.getIfAvailable(() -> new DefaultClientRequestObservationConvention(
							environment.getProperty(OBSERVATION_NAME_PROPERTY, OBSERVATION_NAME))),
					correlationFilter.getIfAvailable());
			return new ClambakeWebClients(properties.getClients(), () -> builders.getIfAvailable(withoutBootsBuilder),
					connectorBuilder
						.getIfAvailable(() -> ClientHttpConnectorBuilder.detect(resourceLoader.getClassLoader())),
					settings.getIfAvailable(HttpClientSettings::defaults),
					guards(circuitBreakers, retries, timeLimiters, bulkheads, recorders, gates));
		}

		// Without Spring Boot's webclient module, what it would have applied that named clients
		// need: the http.client.requests observation as its ObservationWebClientCustomizer sets
		// it (the tracing handler sends the trace headers) and the correlation id
		private static WebClient.Builder builder(@Nullable ObservationRegistry observationRegistry,
				ClientRequestObservationConvention observationConvention,
				@Nullable CorrelationIdExchangeFilter correlationFilter) {
			WebClient.Builder builder = WebClient.builder();
			if (observationRegistry != null) {
				builder.observationRegistry(observationRegistry).observationConvention(observationConvention);
			}
			if (correlationFilter != null) {
				builder.filter(correlationFilter);
			}
			return builder;
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnClass(WebClientHttpServiceGroupConfigurer.class)
		@ConditionalOnBooleanProperty(name = "clambake.resilience.http-service-groups", matchIfMissing = true)
		ResilientReactiveHttpServiceGroups clambakeResilientReactiveHttpServiceGroups(
				ClambakeHttpClientsProperties properties, CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
				TimeLimiterRegistry timeLimiters, BulkheadRegistry bulkheads,
				ObjectProvider<HttpResponseRecorders> recorders, RateLimitGates gates) {
			return new ResilientReactiveHttpServiceGroups(properties.getClients(),
					guards(circuitBreakers, retries, timeLimiters, bulkheads, recorders, gates));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class RateLimitMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpResponseRecorders clambakeRateLimitRecorders(ObjectProvider<MeterRegistry> meterRegistry) {
			// One per name: a RestClient and a WebClient of the same name share its gauges
			Map<String, RateLimitMetrics> byName = new ConcurrentHashMap<>();
			return (name) -> {
				MeterRegistry registry = meterRegistry.getIfAvailable();
				return (registry != null)
						? byName.computeIfAbsent(name, (key) -> new RateLimitMetrics(registry, key, Clock.systemUTC()))
						: null;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ObservationFilter.class, ClientRequestObservationContext.class })
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpClientObservationFilter clambakeHttpClientObservationFilter() {
			return new HttpClientObservationFilter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ObservationFilter.class, WebClient.class,
			org.springframework.web.reactive.function.client.ClientRequestObservationContext.class })
	static class WebClientObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebClientObservationFilter clambakeWebClientObservationFilter() {
			return new WebClientObservationFilter();
		}

	}

}
