package dev.clambake.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

import dev.clambake.resilience.ClambakeHttpClientsProperties.Client;

/**
 * What guards one named client's exchanges, the same for its {@code RestClient} and its
 * {@code WebClient}: its Resilience4j instances (named after the client unless its properties
 * name others), the methods it retries, the longest {@code Retry-After} it waits for, and the
 * recorder of its rate-limit headers.
 *
 * @param client the client's name
 * @param circuitBreaker its circuit breaker, {@code null} when it has none
 * @param retry its retry, narrowed to HTTP by {@link HttpRetries}
 * @param timeLimiter its time limiter
 * @param bulkhead its bulkhead
 * @param retryMethods the methods it retries
 * @param maxRetryAfter the longest {@code Retry-After} it honours
 * @param rateLimits the recorder of its rate-limit headers, if any
 * @param clock the clock {@code Retry-After} dates are read against
 * @param rateLimit its view of the upstream's rate limit
 */
record ClientGuards(String client, @Nullable CircuitBreaker circuitBreaker, Retry retry, TimeLimiter timeLimiter,
		Bulkhead bulkhead, Set<HttpMethod> retryMethods, Duration maxRetryAfter,
		@Nullable HttpResponseRecorder rateLimits, Clock clock, RateLimitGate rateLimit) {

	ClientGuards {
		retryMethods = Set.copyOf(retryMethods);
	}

	/**
	 * Where the guards of every client come from.
	 *
	 * @param circuitBreakers the circuit breaker registry
	 * @param retries the retry registry
	 * @param timeLimiters the time limiter registry
	 * @param bulkheads the bulkhead registry
	 * @param rateLimits the rate-limit header recorder of each client, by name
	 * @param clock the clock
	 * @param gates the rate-limit gate of each client
	 */
	record Sources(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, TimeLimiterRegistry timeLimiters,
			BulkheadRegistry bulkheads, Function<String, @Nullable HttpResponseRecorder> rateLimits, Clock clock,
			RateLimitGates gates) {

		Sources(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, TimeLimiterRegistry timeLimiters,
				BulkheadRegistry bulkheads, Function<String, @Nullable HttpResponseRecorder> rateLimits, Clock clock) {
			this(circuitBreakers, retries, timeLimiters, bulkheads, rateLimits, clock,
					new RateLimitGates(Map.of(), clock, RateLimitGate.Sleeper.THREAD));
		}

		/**
		 * Return the guards of the client configured under that name.
		 */
		ClientGuards forClient(String name, Client client) {
			return new ClientGuards(name,
					client.hasNoCircuitBreaker() ? null
							: this.circuitBreakers.circuitBreaker(Client.orName(client.getCircuitBreaker(), name)),
					HttpRetries.retry(this.retries, Client.orName(client.getRetry(), name)),
					this.timeLimiters.timeLimiter(Client.orName(client.getTimeLimiter(), name)),
					this.bulkheads.bulkhead(Client.orName(client.getBulkhead(), name)), client.getRetryMethods(),
					client.getMaxRetryAfter(), this.rateLimits.apply(name), this.clock,
					this.gates.forClient(name, client));
		}

	}

}
