package dev.clambake.resilience;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Runs each exchange of a named {@code WebClient} through Resilience4j's Reactor operators,
 * outermost first: retry (the client's retry methods only), circuit breaker, bulkhead, time
 * limiter, as for the client's {@code RestClient}. Added last to the client's filters, so a retry re-sends exactly what the other
 * filters prepared.
 * <p>
 * Retries follow {@link HttpRetries}, as for the client's {@code RestClient}; a response that
 * is retried has its body released first. The breaker counts {@code 5xx} responses (as
 * {@link ServerErrorResponseException}) and failed exchanges as failures; the response itself
 * still reaches the caller.
 */
final class ResilientExchangeFilter implements ExchangeFilterFunction {

	private final ClientGuards guards;

	ResilientExchangeFilter(ClientGuards guards) {
		this.guards = guards;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		Mono<Attempt> attempt = Mono.defer(() -> {
			// Before the breaker: a call held for the upstream's reset is neither a success nor a failure
			Duration wait = this.guards.rateLimit().delay();
			return wait.isZero() ? next.exchange(request) : Mono.delay(wait).then(next.exchange(request));
		})
			.map(this::attempt)
			.transformDeferred(TimeLimiterOperator.of(this.guards.timeLimiter()))
			.transformDeferred(BulkheadOperator.of(this.guards.bulkhead()));
		CircuitBreaker breaker = this.guards.circuitBreaker();
		if (breaker != null) {
			attempt = attempt
				.flatMap((outcome) -> (outcome.status() >= 500)
						? Mono.error(new ServerError(this.guards.client(), outcome)) : Mono.just(outcome))
				.transformDeferred(CircuitBreakerOperator.of(breaker))
				.onErrorResume(ServerError.class, (error) -> Mono.just(error.attempt));
		}
		if (this.guards.retryMethods().contains(request.method())) {
			attempt = attempt.transformDeferred(RetryOperator.of(this.guards.retry()));
		}
		return attempt.map(Attempt::response);
	}

	private Attempt attempt(ClientResponse response) {
		int status = response.statusCode().value();
		HttpHeaders headers = response.headers().asHttpHeaders();
		HttpResponseRecorder rateLimits = this.guards.rateLimits();
		if (rateLimits != null) {
			rateLimits.record(status, headers);
		}
		Duration untilReset = this.guards.rateLimit().record(status, headers);
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.guards.clock());
		return new Attempt(response, status, (retryAfter != null) ? retryAfter : untilReset,
				this.guards.maxRetryAfter());
	}

	/**
	 * One exchange's outcome: the response with what the retry decision needs.
	 */
	record Attempt(ClientResponse response, int status, @Nullable Duration retryAfter,
			Duration maxRetryAfter) implements HttpRetries.Attempt {

		@Override
		public void release() {
			this.response.releaseBody().subscribe((ignored) -> {
			}, (ex) -> {
				// The connection is discarded: nothing more to release
			});
		}

	}

	/**
	 * Carries a {@code 5xx} response through the circuit breaker as a failure, to be returned
	 * to the caller on the other side.
	 */
	private static final class ServerError extends ServerErrorResponseException {

		private static final long serialVersionUID = 1L;

		private final transient Attempt attempt;

		ServerError(String client, Attempt attempt) {
			super(client, attempt.status());
			this.attempt = attempt;
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
