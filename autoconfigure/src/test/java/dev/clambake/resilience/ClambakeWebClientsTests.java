package dev.clambake.resilience;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.resilience.ScriptedServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Named {@code WebClient}s against real HTTP servers on loopback that fail, throttle or hang.
 */
class ClambakeWebClientsTests {

	private final ScriptedServer server = ScriptedServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private static WebClient client(ApplicationContext context) {
		return context.getBean(ClambakeWebClients.class).webClient("test");
	}

	private static ResponseEntity<String> get(WebClient client) {
		return client.get().uri("/items").retrieve().toEntity(String.class).block(Duration.ofSeconds(30));
	}

	@Test
	void transientFailuresAreRetriedUntilSuccess() {
		this.server.then(Reply.status(503), Reply.status(502));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			ResponseEntity<String> response = get(client(context));
			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(response.getBody()).isEqualTo("status 200");
			assertThat(this.server.requests()).containsExactly("GET /items", "GET /items", "GET /items");
		});
	}

	@Test
	void retriesStopAtMaxAttemptsAndReturnTheLastResponse() {
		this.server.otherwise(Reply.status(504));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			assertThatExceptionOfType(WebClientResponseException.GatewayTimeout.class)
				.isThrownBy(() -> get(client(context)));
			assertThat(this.server.count()).isEqualTo(3);
			assertThat(context.getBean(RetryRegistry.class).retry("test").getMetrics()
				.getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
		});
	}

	@Test
	void otherClientErrorsAndServerErrorsAreNotRetried() {
		this.server.then(Reply.status(404), Reply.status(500));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			assertThatExceptionOfType(WebClientResponseException.NotFound.class).isThrownBy(() -> get(client(context)));
			assertThat(this.server.count()).isEqualTo(1);
			assertThatExceptionOfType(WebClientResponseException.InternalServerError.class)
				.isThrownBy(() -> get(client(context)));
			assertThat(this.server.count()).isEqualTo(2);
		});
	}

	@Test
	void postIsNotRetriedByDefault() {
		this.server.then(Reply.status(503));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			assertThatExceptionOfType(WebClientResponseException.ServiceUnavailable.class)
				.isThrownBy(() -> client(context).post().uri("/orders").bodyValue("{}").retrieve().toBodilessEntity()
					.block(Duration.ofSeconds(30)));
			assertThat(this.server.requests()).containsExactly("POST /orders");
		});
	}

	@Test
	void postIsRetriedWhenListedInRetryMethods() {
		this.server.then(Reply.status(503));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("clambake.http.clients.test.retry-methods=GET,POST")
			.run((context) -> {
				assertThat(client(context).post().uri("/orders").bodyValue("{}").retrieve().toBodilessEntity()
					.block(Duration.ofSeconds(30)).getStatusCode()).isEqualTo(HttpStatus.OK);
				assertThat(this.server.requests()).containsExactly("POST /orders", "POST /orders");
			});
	}

	@Test
	void retryAfterIsWaitedFor() {
		this.server.then(Reply.status(429).header("Retry-After", "1"));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			long start = System.nanoTime();
			assertThat(get(client(context)).getStatusCode()).isEqualTo(HttpStatus.OK);
			// Backoff alone is at most 40ms in these tests: the wait comes from the header
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
			assertThat(this.server.count()).isEqualTo(2);
		});
	}

	@Test
	void retryAfterBeyondTheCapReturnsTheResponseAtOnce() {
		this.server.then(Reply.status(429).header("Retry-After", "120"));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("clambake.http.clients.test.max-retry-after=1s")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(WebClientResponseException.TooManyRequests.class)
					.isThrownBy(() -> get(client(context)));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
				assertThat(this.server.count()).isEqualTo(1);
			});
	}

	@Test
	void retryAfterTooLargeToReadCountsAsBeyondTheCap() {
		this.server.then(Reply.status(503).header("Retry-After", "99999999999999999999"));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			long start = System.nanoTime();
			// Read as absent, it would be retried after the backoff and the second reply, 200, returned
			assertThatExceptionOfType(WebClientResponseException.ServiceUnavailable.class)
				.isThrownBy(() -> get(client(context)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			assertThat(this.server.count()).isEqualTo(1);
		});
	}

	@Test
	void breakerOpensAfterTheThresholdFailsFastAndRecoversHalfOpen() {
		this.server.otherwise(Reply.status(500));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("resilience4j.circuitbreaker.instances.test.sliding-window-size=4",
					"resilience4j.circuitbreaker.instances.test.minimum-number-of-calls=4",
					"resilience4j.circuitbreaker.instances.test.wait-duration-in-open-state=200ms",
					"resilience4j.circuitbreaker.instances.test.permitted-number-of-calls-in-half-open-state=1")
			.run((context) -> {
				WebClient client = client(context);
				CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("test");
				for (int i = 0; i < 4; i++) {
					assertThatExceptionOfType(WebClientResponseException.InternalServerError.class)
						.isThrownBy(() -> get(client));
				}
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThat(this.server.count()).isEqualTo(4);
				assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> get(client));
				assertThat(this.server.count()).isEqualTo(4);
				this.server.otherwise(Reply.status(200));
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(50))
					.ignoreException(CallNotPermittedException.class)
					.untilAsserted(() -> assertThat(get(client).getStatusCode()).isEqualTo(HttpStatus.OK));
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				assertThat(this.server.count()).isEqualTo(5);
			});
	}

	@Test
	void circuitBreakerNoneNeverFailsFast() {
		this.server.otherwise(Reply.status(500));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("clambake.http.clients.test.circuit-breaker=none",
					"resilience4j.circuitbreaker.instances.test.sliding-window-size=4",
					"resilience4j.circuitbreaker.instances.test.minimum-number-of-calls=4")
			.run((context) -> {
				WebClient client = client(context);
				for (int i = 0; i < 8; i++) {
					assertThatExceptionOfType(WebClientResponseException.InternalServerError.class)
						.isThrownBy(() -> get(client));
				}
				assertThat(this.server.count()).isEqualTo(8);
				assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("test").getMetrics()
					.getNumberOfBufferedCalls()).isZero();
			});
	}

	@Test
	void readTimeoutIsEnforcedAndAHangIsNotRetried() {
		this.server.otherwise(Reply.hang(Duration.ofSeconds(10)));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("clambake.http.clients.test.read-timeout=300ms")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(WebClientRequestException.class).isThrownBy(() -> get(client(context)));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
				assertThat(this.server.count()).isEqualTo(1);
				assertThat(context.getBean(RetryRegistry.class).retry("test").getMetrics()
					.getNumberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
			});
	}

	@Test
	void timeLimiterBoundsTheWholeExchange() {
		this.server.otherwise(Reply.hang(Duration.ofSeconds(10)));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("resilience4j.timelimiter.instances.test.timeout-duration=300ms")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatThrownBy(() -> get(client(context))).hasRootCauseInstanceOf(TimeoutException.class);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
				assertThat(this.server.count()).isEqualTo(1);
			});
	}

	@Test
	void connectionRefusedIsRetried() {
		this.server.close();
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			assertThatExceptionOfType(WebClientRequestException.class).isThrownBy(() -> get(client(context)));
			assertThat(context.getBean(RetryRegistry.class).retry("test").getMetrics()
				.getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
		});
	}

	@Test
	void rateLimitHeadersBecomeGaugesAndThrottlingIsCounted() {
		this.server.then(Reply.status(429).header("Retry-After", "0"),
				Reply.status(200).header("X-RateLimit-Remaining", "42").header("X-RateLimit-Reset", "30"));
		ResilienceTestContexts.reactiveRunner(this.server)
			.withUserConfiguration(ClambakeHttpClientsTests.Meters.class)
			.run((context) -> {
				get(client(context));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(RateLimitMetrics.THROTTLED).tag("client", "test").counter().count())
					.isEqualTo(1);
				assertThat(meters.get(RateLimitMetrics.REMAINING).tag("client", "test").gauge().value())
					.isEqualTo(42);
				assertThat(meters.get(RateLimitMetrics.RESET).tag("client", "test").gauge().value()).isEqualTo(30);
				// The RestClient of the same name records into the same gauges
				this.server.then(Reply.status(200).header("X-RateLimit-Remaining", "41"));
				context.getBean(ClambakeHttpClients.class).restClient("test").get().uri("/").retrieve()
					.toBodilessEntity();
				assertThat(meters.get(RateLimitMetrics.REMAINING).tag("client", "test").gauge().value())
					.isEqualTo(41);
			});
	}

	@Test
	void restClientAndWebClientOfANameShareTheirRetryInstance() {
		this.server.then(Reply.status(503));
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			get(client(context));
			this.server.then(Reply.status(503));
			context.getBean(ClambakeHttpClients.class).restClient("test").get().uri("/items").retrieve()
				.toBodilessEntity();
			assertThat(this.server.count()).isEqualTo(4);
			assertThat(context.getBean(RetryRegistry.class).retry("test").getMetrics()
				.getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(2);
		});
	}

	@Test
	void builtFromBootsBuilderWithTheResilienceFilterInnermost() {
		this.server.then(Reply.status(503));
		ResilienceTestContexts.reactiveRunner(this.server).withUserConfiguration(CountingCustomizer.class)
			.run((context) -> {
				assertThat(get(client(context)).getStatusCode()).isEqualTo(HttpStatus.OK);
				assertThat(this.server.count()).isEqualTo(2);
				// A customizer's filter sees the call once; the retry happens inside it
				assertThat(CountingCustomizer.CALLS.get()).isEqualTo(1);
			});
	}

	@Test
	void httpClientRequestsCarryTheClientName() {
		ResilienceTestContexts.reactiveRunner(this.server)
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, WebClientObservationAutoConfiguration.class))
			.run((context) -> {
				client(context).get().uri("/a").retrieve().toBodilessEntity().block(Duration.ofSeconds(30));
				context.getBean(WebClient.Builder.class).build().get().uri(this.server.url() + "/b").retrieve()
					.toBodilessEntity().block(Duration.ofSeconds(30));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					assertThat(meters.get("http.client.requests").tag("client", "test").timer().count()).isEqualTo(1);
					assertThat(meters.get("http.client.requests").tag("client", "none").timer().count()).isEqualTo(1);
				});
			});
	}

	@Test
	void unknownClientNameIsExplained() {
		ResilienceTestContexts.reactiveRunner(this.server).run((context) -> {
			assertThat(context.getBean(ClambakeWebClients.class).names()).containsExactly("test");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(ClambakeWebClients.class).webClient("nope"))
				.withMessage("No HTTP client named 'nope'; configure clambake.http.clients.nope.base-url"
						+ " (configured: [test])");
		});
	}

	@Test
	void missingWebClientLeavesOutNamedWebClients() {
		ResilienceTestContexts.reactiveRunner(this.server)
			.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeWebClients.class)
				.doesNotHaveBean(WebClientObservationFilter.class)
				.hasSingleBean(ClambakeHttpClients.class));
	}

	@Test
	void missingResilience4jReactorLeavesOutNamedWebClients() {
		ResilienceTestContexts.reactiveRunner(this.server)
			.withClassLoader(new FilteredClassLoader(RetryOperator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeWebClients.class)
				.hasSingleBean(ClambakeHttpClients.class)
				.hasSingleBean(ClambakeCapability.class));
	}

	@Test
	void disabledLeavesOutNamedWebClients() {
		ResilienceTestContexts.reactiveRunner(this.server)
			.withPropertyValues("clambake.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeWebClients.class)
				.doesNotHaveBean(WebClientObservationFilter.class));
	}

	@Test
	void userBeanWins() {
		ResilienceTestContexts.reactiveRunner(this.server).withUserConfiguration(UserClients.class)
			.run((context) -> assertThat(context.getBean(ClambakeWebClients.class)).isSameAs(UserClients.CLIENTS));
	}

	@Configuration(proxyBeanMethods = false)
	static class CountingCustomizer {

		static final AtomicInteger CALLS = new AtomicInteger();

		@Bean
		WebClientCustomizer countingCustomizer() {
			CALLS.set(0);
			return (builder) -> builder.filter((request, next) -> {
				CALLS.incrementAndGet();
				return next.exchange(request);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClients {

		static final ClambakeWebClients CLIENTS = new ClambakeWebClients(java.util.Map.of(), WebClient::builder,
				org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder.jdk(),
				org.springframework.boot.http.client.HttpClientSettings.defaults(),
				new ClientGuards.Sources(CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
						io.github.resilience4j.timelimiter.TimeLimiterRegistry.ofDefaults(),
						io.github.resilience4j.bulkhead.BulkheadRegistry.ofDefaults(), (name) -> null,
						java.time.Clock.systemUTC()));

		@Bean
		ClambakeWebClients userWebClients() {
			return CLIENTS;
		}

	}

}
