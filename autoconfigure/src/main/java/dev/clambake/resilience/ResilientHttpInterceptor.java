package dev.clambake.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedSupplier;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Runs each exchange of a named HTTP client through Resilience4j, outermost first: retry
 * (idempotent methods only), circuit breaker, bulkhead, time limiter. Added last to the
 * client's interceptors, so a retry re-sends exactly what the other interceptors prepared.
 * <p>
 * The bulkhead's permit is taken on the caller's thread (a call beyond its limit fails with
 * {@code BulkheadFullException} without a thread) and held until the thread running the
 * exchange is done with it, so a client's exchange threads never outnumber its bulkhead's
 * {@code max-concurrent-calls}, even while abandoned exchanges wait out their read timeout.
 * <p>
 * Retries follow {@link HttpRetries} (its retry instance comes from
 * {@link HttpRetries#retry}). The breaker counts {@code 5xx} responses and failed exchanges
 * as failures.
 */
final class ResilientHttpInterceptor implements ClientHttpRequestInterceptor {

	private final ClientGuards guards;

	private final ExecutorService executor;

	ResilientHttpInterceptor(ClientGuards guards, ExecutorService executor) {
		this.guards = guards;
		this.executor = executor;
	}

	/**
	 * Return the interceptor of a client, its exchanges run on its bulkhead's pool.
	 */
	static ResilientHttpInterceptor of(ClientGuards guards, AttemptExecutors executors) {
		return new ResilientHttpInterceptor(guards, executors.forBulkhead(guards.bulkhead()));
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		CheckedSupplier<Attempt> attempt = () -> guarded(request, body, execution);
		try {
			if (this.guards.retryMethods().contains(request.getMethod())) {
				return this.guards.retry().executeCheckedSupplier(attempt).response();
			}
			return attempt.get().response();
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException("HTTP client '" + this.guards.client() + "' failed: " + ex, ex);
		}
	}

	private Attempt guarded(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		// Before the breaker: a call held for the upstream's reset is neither a success nor a failure
		this.guards.rateLimit().await();
		CircuitBreaker breaker = this.guards.circuitBreaker();
		if (breaker == null) {
			return limited(request, body, execution);
		}
		breaker.acquirePermission();
		long start = breaker.getCurrentTimestamp();
		Attempt attempt;
		try {
			attempt = limited(request, body, execution);
		}
		catch (IOException | RuntimeException | Error ex) {
			breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), ex);
			throw ex;
		}
		long duration = breaker.getCurrentTimestamp() - start;
		if (attempt.status() >= 500) {
			breaker.onError(duration, breaker.getTimestampUnit(),
					new ServerErrorResponseException(this.guards.client(), attempt.status()));
		}
		else {
			breaker.onResult(duration, breaker.getTimestampUnit(), attempt.response());
		}
		return attempt;
	}

	private Attempt limited(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		// The permit is taken here, before a thread is asked for: a call beyond the limit is
		// refused without one, and the pool never holds more exchanges than the limit
		Bulkhead bulkhead = this.guards.bulkhead();
		bulkhead.acquirePermission();
		Permit permit = new Permit(bulkhead);
		AtomicBoolean abandoned = new AtomicBoolean();
		Future<Attempt> future;
		try {
			future = this.executor.submit(() -> permit.run(() -> exchange(request, body, execution, abandoned)));
		}
		catch (RejectedExecutionException ex) {
			permit.releaseIfNotStarted();
			throw new IOException("HTTP client '" + this.guards.client() + "' is shut down", ex);
		}
		try {
			return this.guards.timeLimiter().executeFutureSupplier(() -> future);
		}
		catch (TimeoutException ex) {
			abandon(future, permit, abandoned);
			SocketTimeoutException timeout = new SocketTimeoutException("HTTP client '" + this.guards.client()
					+ "' timed out after " + this.guards.timeLimiter().getTimeLimiterConfig().getTimeoutDuration());
			timeout.initCause(ex);
			throw timeout;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abandon(future, permit, abandoned);
			throw new InterruptedIOException("HTTP client '" + this.guards.client() + "' was interrupted");
		}
		catch (IOException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IOException("HTTP client '" + this.guards.client() + "' failed: " + ex, ex);
		}
	}

	/**
	 * Give up on an exchange: interrupt its thread (the request factory's read timeout ends
	 * it when the client ignores interrupts; the permit stays taken until then), close a
	 * response that arrived too late, and return the permit of an exchange that never started.
	 */
	private static void abandon(Future<Attempt> future, Permit permit, AtomicBoolean abandoned) {
		abandoned.set(true);
		if (!future.cancel(true)) {
			closeIfDone(future);
		}
		permit.releaseIfNotStarted();
	}

	private Attempt exchange(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
			AtomicBoolean abandoned) throws IOException {
		ClientHttpResponse response = BodyFaultTranslatingResponse.of(execution.execute(request, body),
				this.guards.client());
		int status = response.getStatusCode().value();
		HttpHeaders headers = response.getHeaders();
		HttpResponseRecorder rateLimits = this.guards.rateLimits();
		if (rateLimits != null) {
			rateLimits.record(status, headers);
		}
		Duration untilReset = this.guards.rateLimit().record(status, headers);
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.guards.clock());
		Attempt attempt = new Attempt(response, status, (retryAfter != null) ? retryAfter : untilReset,
				this.guards.maxRetryAfter());
		if (abandoned.get()) {
			response.close();
		}
		return attempt;
	}

	private static void closeIfDone(Future<Attempt> future) {
		if (future.isDone() && !future.isCancelled()) {
			try {
				future.get().response().close();
			}
			catch (Exception ex) {
				// The exchange failed: nothing to close
			}
		}
	}

	/**
	 * A bulkhead permit taken for one exchange: returned by the exchange's thread when it is
	 * done, or by the caller when the exchange never started, never twice.
	 */
	private static final class Permit {

		private static final int WAITING = 0;

		private static final int RUNNING = 1;

		private static final int RELEASED = 2;

		private final Bulkhead bulkhead;

		private final AtomicInteger state = new AtomicInteger(WAITING);

		Permit(Bulkhead bulkhead) {
			this.bulkhead = bulkhead;
		}

		Attempt run(Callable<Attempt> exchange) throws Exception {
			if (!this.state.compareAndSet(WAITING, RUNNING)) {
				throw new CancellationException("Abandoned before it started");
			}
			try {
				return exchange.call();
			}
			finally {
				this.state.set(RELEASED);
				this.bulkhead.onComplete();
			}
		}

		void releaseIfNotStarted() {
			if (this.state.compareAndSet(WAITING, RELEASED)) {
				this.bulkhead.onComplete();
			}
		}

	}

	/**
	 * One exchange's outcome: the response with what the retry decision needs.
	 */
	record Attempt(ClientHttpResponse response, int status, @Nullable Duration retryAfter,
			Duration maxRetryAfter) implements HttpRetries.Attempt {

		@Override
		public void release() {
			this.response.close();
		}

	}

}
