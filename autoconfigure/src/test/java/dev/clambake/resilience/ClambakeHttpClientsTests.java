package dev.clambake.resilience;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import dev.clambake.resilience.ScriptedServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Named HTTP clients against real HTTP servers on loopback that fail, throttle or hang.
 */
class ClambakeHttpClientsTests {

	private final ScriptedServer server = ScriptedServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private static RestClient client(org.springframework.context.ApplicationContext context) {
		return context.getBean(ClambakeHttpClients.class).restClient("test");
	}

	private static ResponseEntity<String> get(RestClient client) {
		return client.get().uri("/items").retrieve().toEntity(String.class);
	}

	@Test
	void transientFailuresAreRetriedUntilSuccess() {
		this.server.then(Reply.status(503), Reply.status(502));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			ResponseEntity<String> response = get(client(context));
			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(this.server.count()).isEqualTo(3);
			assertThat(this.server.requests()).containsOnly("GET /items");
		});
	}

	@Test
	void unknownClientNameIsExplained() {
		ResilienceTestContexts.runner(this.server).run((context) -> {
			assertThat(context.getBean(ClambakeHttpClients.class).names()).containsExactly("test");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(ClambakeHttpClients.class).restClient("nope"))
				.withMessage("No HTTP client named 'nope'; configure clambake.http.clients.nope.base-url"
						+ " (configured: [test])");
		});
	}

	@Test
	void retriesStopAtMaxAttemptsAndReturnTheLastResponse() {
		this.server.otherwise(Reply.status(504));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> get(client(context)))
				.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(504));
			assertThat(this.server.count()).isEqualTo(3);
			assertThat(context.getBean(RetryRegistry.class).retry("test").getMetrics()
				.getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
		});
	}

	@Test
	void userMaxAttemptsIsHonoured() {
		this.server.otherwise(Reply.status(503));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("resilience4j.retry.instances.test.max-attempts=5")
			.run((context) -> {
				assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> get(client(context)));
				assertThat(this.server.count()).isEqualTo(5);
			});
	}

	@Test
	void otherClientErrorsAndServerErrorsAreNotRetried() {
		this.server.then(Reply.status(404), Reply.status(500), Reply.status(400));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			assertThatExceptionOfType(HttpClientErrorException.NotFound.class).isThrownBy(() -> get(client(context)));
			assertThat(this.server.count()).isEqualTo(1);
			assertThatExceptionOfType(HttpServerErrorException.InternalServerError.class)
				.isThrownBy(() -> get(client(context)));
			assertThat(this.server.count()).isEqualTo(2);
			assertThatExceptionOfType(HttpClientErrorException.BadRequest.class).isThrownBy(() -> get(client(context)));
			assertThat(this.server.count()).isEqualTo(3);
		});
	}

	@Test
	void postIsNotRetriedByDefault() {
		this.server.then(Reply.status(503));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
				.isThrownBy(() -> client(context).post().uri("/orders").body("{}").retrieve().toBodilessEntity());
			assertThat(this.server.requests()).containsExactly("POST /orders");
		});
	}

	@Test
	void postIsRetriedWhenListedInRetryMethods() {
		this.server.then(Reply.status(503));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("clambake.http.clients.test.retry-methods=GET,POST")
			.run((context) -> {
				assertThat(client(context).post().uri("/orders").body("{}").retrieve().toBodilessEntity()
					.getStatusCode()).isEqualTo(HttpStatus.OK);
				assertThat(this.server.requests()).containsExactly("POST /orders", "POST /orders");
			});
	}

	@Test
	void retryAfterSecondsIsWaitedFor() {
		this.server.then(Reply.status(429).header("Retry-After", "1"));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			long start = System.nanoTime();
			assertThat(get(client(context)).getStatusCode()).isEqualTo(HttpStatus.OK);
			// Backoff alone is at most 40ms in these tests: the wait comes from the header
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
			assertThat(this.server.count()).isEqualTo(2);
		});
	}

	@Test
	void retryAfterHttpDateIsWaitedFor() {
		ResilienceTestContexts.runner(this.server).run((context) -> {
			// Whole seconds: three seconds ahead is between two and three seconds away
			String date = DateTimeFormatter.RFC_1123_DATE_TIME
				.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3).withNano(0));
			this.server.then(Reply.status(503).header("Retry-After", date));
			long start = System.nanoTime();
			assertThat(get(client(context)).getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
			assertThat(this.server.count()).isEqualTo(2);
		});
	}

	@Test
	void retryAfterBeyondTheCapReturnsTheResponseAtOnce() {
		this.server.then(Reply.status(429).header("Retry-After", "120"));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("clambake.http.clients.test.max-retry-after=1s")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(HttpClientErrorException.TooManyRequests.class)
					.isThrownBy(() -> get(client(context)));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
				assertThat(this.server.count()).isEqualTo(1);
			});
	}

	@Test
	void retryAfterTooLargeToReadCountsAsBeyondTheCap() {
		this.server.then(Reply.status(503).header("Retry-After", "99999999999999999999"));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			long start = System.nanoTime();
			// Read as absent, it would be retried after the backoff and the second reply, 200, returned
			assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
				.isThrownBy(() -> get(client(context)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			assertThat(this.server.count()).isEqualTo(1);
		});
	}

	@Test
	void circuitBreakerNoneNeverFailsFast() {
		this.server.otherwise(Reply.status(500));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("clambake.http.clients.test.circuit-breaker=none",
					"resilience4j.circuitbreaker.instances.test.sliding-window-size=4",
					"resilience4j.circuitbreaker.instances.test.minimum-number-of-calls=4")
			.run((context) -> {
				RestClient client = client(context);
				for (int i = 0; i < 8; i++) {
					assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> get(client));
				}
				assertThat(this.server.count()).isEqualTo(8);
				// The instance configured above exists, but the client never records a call in it
				assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("test").getMetrics()
					.getNumberOfBufferedCalls()).isZero();
			});
	}

	@Test
	void breakerOpensAfterTheThresholdFailsFastAndRecoversHalfOpen() {
		this.server.otherwise(Reply.status(500));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("resilience4j.circuitbreaker.instances.test.sliding-window-size=4",
					"resilience4j.circuitbreaker.instances.test.minimum-number-of-calls=4",
					"resilience4j.circuitbreaker.instances.test.wait-duration-in-open-state=200ms",
					"resilience4j.circuitbreaker.instances.test.permitted-number-of-calls-in-half-open-state=1")
			.run((context) -> {
				RestClient client = client(context);
				CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("test");
				for (int i = 0; i < 4; i++) {
					assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> get(client));
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
	void readTimeoutIsEnforcedAndAHangIsNotRetried() {
		this.server.otherwise(Reply.hang(Duration.ofSeconds(10)));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("clambake.http.clients.test.read-timeout=300ms")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> get(client(context)));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
				assertThat(this.server.count()).isEqualTo(1);
			});
	}

	@Test
	void timeLimiterBoundsTheWholeExchange() {
		this.server.otherwise(Reply.hang(Duration.ofSeconds(10)));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("resilience4j.timelimiter.instances.test.timeout-duration=300ms")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> get(client(context)))
					.withMessageContaining("timed out");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
				assertThat(this.server.count()).isEqualTo(1);
			});
	}

	@Test
	void connectionRefusedIsRetried() {
		this.server.close();
		ResilienceTestContexts.runner(this.server).run((context) -> {
			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> get(client(context)));
			assertThat(context.getBean(RetryRegistry.class).retry("test").getMetrics()
				.getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
		});
	}

	@Test
	void rateLimitHeadersBecomeGaugesAndThrottlingIsCounted() {
		this.server.then(Reply.status(429).header("Retry-After", "0"),
				Reply.status(200).header("X-RateLimit-Remaining", "42").header("X-RateLimit-Reset", "30"));
		ResilienceTestContexts.runner(this.server).withUserConfiguration(Meters.class).run((context) -> {
			get(client(context));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(RateLimitMetrics.THROTTLED).tag("client", "test").counter().count()).isEqualTo(1);
			assertThat(meters.get(RateLimitMetrics.REMAINING).tag("client", "test").gauge().value()).isEqualTo(42);
			assertThat(meters.get(RateLimitMetrics.RESET).tag("client", "test").gauge().value()).isEqualTo(30);
		});
	}

	@Test
	void ietfRateLimitHeadersAreRead() {
		this.server.then(Reply.status(200).header("RateLimit", "limit=100, remaining=7, reset=12"));
		ResilienceTestContexts.runner(this.server).withUserConfiguration(Meters.class).run((context) -> {
			get(client(context));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(RateLimitMetrics.REMAINING).tag("client", "test").gauge().value()).isEqualTo(7);
			assertThat(meters.get(RateLimitMetrics.RESET).tag("client", "test").gauge().value()).isEqualTo(12);
			assertThat(meters.get(RateLimitMetrics.THROTTLED).tag("client", "test").counter().count()).isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
