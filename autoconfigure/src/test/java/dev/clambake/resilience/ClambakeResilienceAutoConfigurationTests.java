package dev.clambake.resilience;

import java.lang.reflect.Method;
import java.util.Map;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakersHealthIndicatorAutoConfiguration;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.client.RestClient;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.resilience.ScriptedServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClambakeResilienceAutoConfigurationTests {

	private final ScriptedServer server = ScriptedServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void defaultsGoIntoResilience4jsDefaultConfigs() {
		ResilienceTestContexts.runner().run((context) -> {
			assertThat(context).hasSingleBean(ClambakeHttpClients.class)
				.hasSingleBean(HttpClientObservationFilter.class);
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.contains(new ClambakeCapability("resilience"));
			CircuitBreakerConfig breaker = context.getBean(CircuitBreakerRegistry.class)
				.circuitBreaker("anything")
				.getCircuitBreakerConfig();
			assertThat(breaker.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
			assertThat(breaker.getSlidingWindowSize()).isEqualTo(20);
			assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
			assertThat(breaker.getFailureRateThreshold()).isEqualTo(50f);
			assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
			assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(30_000L);
			var retry = context.getBean(RetryRegistry.class).retry("anything").getRetryConfig();
			assertThat(retry.getMaxAttempts()).isEqualTo(3);
			// Exponential with jitter: 200ms * 2^(n-1), +-50%
			assertThat(retry.getIntervalBiFunction().apply(1, null)).isBetween(100L, 300L);
			assertThat(retry.getIntervalBiFunction().apply(3, null)).isBetween(400L, 1200L);
			assertThat(context.getBean(TimeLimiterRegistry.class).timeLimiter("anything").getTimeLimiterConfig()
				.getTimeoutDuration()).hasSeconds(15);
			var bulkhead = context.getBean(BulkheadRegistry.class).bulkhead("anything").getBulkheadConfig();
			assertThat(bulkhead.getMaxConcurrentCalls()).isEqualTo(100);
			assertThat(bulkhead.getMaxWaitDuration()).hasMillis(500);
			// A full bulkhead is local overload: the breaker ignores it
			assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("anything").getCircuitBreakerConfig()
				.getIgnoreExceptionPredicate()
				.test(io.github.resilience4j.bulkhead.BulkheadFullException.createBulkheadFullException(
						context.getBean(BulkheadRegistry.class).bulkhead("anything")))).isTrue();
		});
	}

	@Test
	void usersResilience4jSettingOverridesClambakesDefault() {
		ResilienceTestContexts.runner()
			.withPropertyValues("resilience4j.circuitbreaker.configs.default.failure-rate-threshold=25",
					"resilience4j.retry.configs.default.max-attempts=7",
					"resilience4j.circuitbreaker.instances.payments.sliding-window-size=100")
			.run((context) -> {
				CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
				assertThat(breakers.circuitBreaker("anything").getCircuitBreakerConfig().getFailureRateThreshold())
					.isEqualTo(25f);
				CircuitBreakerConfig payments = breakers.circuitBreaker("payments").getCircuitBreakerConfig();
				assertThat(payments.getSlidingWindowSize()).isEqualTo(100);
				// The rest of the instance still comes from Clambake's default config
				assertThat(payments.getMinimumNumberOfCalls()).isEqualTo(10);
				assertThat(context.getBean(RetryRegistry.class).retry("anything").getRetryConfig().getMaxAttempts())
					.isEqualTo(7);
			});
	}

	@Test
	void disabledRegistersNothing() {
		ResilienceTestContexts.runner()
			.withPropertyValues("clambake.resilience.enabled=false",
					"clambake.http.clients.test.base-url=" + this.server.url())
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeHttpClients.class)
				.doesNotHaveBean(HttpClientObservationFilter.class)
				.doesNotHaveBean(HttpResponseRecorders.class)
				.doesNotHaveBean(ClambakeCapability.class));
	}

	@Test
	void missingResilience4jDisablesTheCapability() {
		ResilienceTestContexts.runner()
			.withClassLoader(new FilteredClassLoader(CircuitBreaker.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeHttpClients.class)
				.doesNotHaveBean(ClambakeCapability.class));
	}

	@Test
	void missingRestClientLeavesOutNamedClients() {
		ResilienceTestContexts.runner()
			.withClassLoader(new FilteredClassLoader(RestClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeHttpClients.class)
				.hasSingleBean(ClambakeCapability.class));
	}

	@Test
	void missingMicrometerLeavesOutRateLimitMetrics() {
		this.server.then(Reply.status(429).header("Retry-After", "0"));
		ResilienceTestContexts.runner(this.server)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(HttpResponseRecorders.class);
				assertThat(context.getBean(ClambakeHttpClients.class).restClient("test").get().uri("/").retrieve()
					.toBodilessEntity().getStatusCode().value()).isEqualTo(200);
			});
	}

	@Test
	void userBeansWin() {
		ResilienceTestContexts.runner().withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(ClambakeHttpClients.class)).isSameAs(UserBeans.CLIENTS);
			assertThat(context.getBean(HttpClientObservationFilter.class)).isSameAs(UserBeans.FILTER);
		});
	}

	@Test
	void everyBeanIsConditionalOnMissingBean() {
		for (Class<?> type : ClambakeResilienceAutoConfiguration.class.getDeclaredClasses()) {
			for (Method method : type.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Bean.class)) {
					assertThat(method.isAnnotationPresent(ConditionalOnMissingBean.class)).as(method.toString()).isTrue();
				}
			}
		}
	}

	@Test
	void invalidBaseUrlFailsStartUp() {
		ResilienceTestContexts.runner()
			.withPropertyValues("clambake.http.clients.test.base-url=not a url")
			.run((context) -> assertThat(context).hasFailed());
		ResilienceTestContexts.runner()
			.withPropertyValues("clambake.http.clients.test.base-url=ftp://example.com")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("absolute http or https URL"));
	}

	@Test
	void negativeTimeoutFailsStartUp() {
		ResilienceTestContexts.runner()
			.withPropertyValues("clambake.http.clients.test.base-url=" + this.server.url(),
					"clambake.http.clients.test.read-timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be positive"));
	}

	@Test
	void unknownClientNameIsExplained() {
		ResilienceTestContexts.runner(this.server).run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(ClambakeHttpClients.class).restClient("nope"))
			.withMessageContaining("clambake.http.clients.nope.base-url")
			.withMessageContaining("test"));
	}

	@Test
	void instanceNamesDefaultToTheClientNameAndCanBeShared() {
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("clambake.http.clients.other.base-url=" + this.server.url(),
					"clambake.http.clients.other.circuit-breaker=shared",
					"clambake.http.clients.test.circuit-breaker=shared")
			.run((context) -> {
				ClambakeHttpClients clients = context.getBean(ClambakeHttpClients.class);
				assertThat(clients.names()).containsExactly("test", "other");
				clients.restClient("test").get().uri("/").retrieve().toBodilessEntity();
				clients.restClient("other").get().uri("/").retrieve().toBodilessEntity();
				CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
				assertThat(breakers.circuitBreaker("shared").getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
				assertThat(context.getBean(RetryRegistry.class).getAllRetries())
					.extracting(io.github.resilience4j.retry.Retry::getName)
					.contains("test", "other");
			});
	}

	@Test
	void environmentVariableSetsANamedClient() {
		ResilienceTestContexts.runner()
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("CLAMBAKE_HTTP_CLIENTS_UPSTREAM_BASE_URL", this.server.url(),
										"CLAMBAKE_HTTP_CLIENTS_UPSTREAM_READ_TIMEOUT", "3s"))))
			.run((context) -> {
				var client = context.getBean(ClambakeHttpClientsProperties.class).getClients().get("upstream");
				assertThat(client.getBaseUrl()).isEqualTo(this.server.url());
				assertThat(client.getReadTimeout()).hasSeconds(3);
				context.getBean(ClambakeHttpClients.class).restClient("upstream").get().uri("/x").retrieve()
					.toBodilessEntity();
				assertThat(this.server.requests()).containsExactly("GET /x");
			});
	}

	@Test
	void annotationsWork() {
		ResilienceTestContexts.runner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(Annotated.class)
			.withPropertyValues("resilience4j.retry.instances.annotated.wait-duration=1ms")
			.run((context) -> {
				AnnotatedService service = context.getBean(AnnotatedService.class);
				assertThat(service.flaky()).isEqualTo("ok after 3");
				assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("annotated").getMetrics()
					.getNumberOfSuccessfulCalls()).isEqualTo(1);
			});
	}

	@Test
	void circuitBreakerStatesAppearInHealthAndAnOpenBreakerIsNotDown() {
		this.server.otherwise(Reply.status(500));
		ResilienceTestContexts.runner(this.server)
			.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
					AvailabilityHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
					CircuitBreakersHealthIndicatorAutoConfiguration.class))
			.withPropertyValues("resilience4j.retry.instances.test.max-attempts=1")
			.run((context) -> {
				HealthIndicator indicator = context.getBean("circuitBreakersHealthIndicator", HealthIndicator.class);
				context.getBean(CircuitBreakerRegistry.class).circuitBreaker("test").transitionToOpenState();
				Health health = indicator.health();
				assertThat(health.getDetails()).containsKey("test");
				assertThat(((Health) health.getDetails().get("test")).getDetails()).containsEntry("state",
						CircuitBreaker.State.OPEN);
				assertThat(health.getStatus().getCode()).isEqualTo("CIRCUIT_OPEN");
			});
	}

	@Test
	void resilience4jAndClientMetricsArePublished() {
		ResilienceTestContexts.runner(this.server)
			.withConfiguration(AutoConfigurations.of(CircuitBreakerMetricsAutoConfiguration.class))
			.withUserConfiguration(ClambakeHttpClientsTests.Meters.class)
			.run((context) -> {
				context.getBean(ClambakeHttpClients.class).restClient("test").get().uri("/").retrieve().toBodilessEntity();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "test").gauges()).isNotEmpty();
				assertThat(meters.find(RateLimitMetrics.THROTTLED).tag("client", "test").counter()).isNotNull();
			});
	}

	@Test
	void httpClientRequestsCarryTheClientName() {
		ResilienceTestContexts.runner(this.server)
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, RestClientObservationAutoConfiguration.class))
			.run((context) -> {
				context.getBean(ClambakeHttpClients.class).restClient("test").get().uri("/a").retrieve().toBodilessEntity();
				context.getBean(RestClient.Builder.class).build().get().uri(this.server.url() + "/b").retrieve()
					.toBodilessEntity();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("http.client.requests").tag("client", "test").timer().count()).isEqualTo(1);
				assertThat(meters.get("http.client.requests").tag("client", "none").timer().count()).isEqualTo(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final ClambakeHttpClients CLIENTS = new ClambakeHttpClients(Map.of(), RestClient::builder,
				org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder.jdk(),
				org.springframework.boot.http.client.HttpClientSettings.defaults(),
				new ClientGuards.Sources(CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
						TimeLimiterRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), (name) -> null,
						java.time.Clock.systemUTC()));

		static final HttpClientObservationFilter FILTER = new HttpClientObservationFilter();

		@Bean
		ClambakeHttpClients userClients() {
			return CLIENTS;
		}

		@Bean
		HttpClientObservationFilter userFilter() {
			return FILTER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Annotated {

		@Bean
		AnnotatedService annotatedService() {
			return new AnnotatedService();
		}

	}

	static class AnnotatedService {

		private int calls;

		@io.github.resilience4j.retry.annotation.Retry(name = "annotated")
		@io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "annotated")
		public String flaky() {
			this.calls++;
			if (this.calls < 3) {
				throw new IllegalStateException("failure " + this.calls);
			}
			return "ok after " + this.calls;
		}

	}

}
