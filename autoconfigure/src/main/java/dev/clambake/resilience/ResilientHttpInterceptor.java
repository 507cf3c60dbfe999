package dev.clambake.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * (idempotent methods only), circuit breaker, time limiter, bulkhead. Added last to the
 * client's interceptors, so a retry re-sends exactly what the other interceptors prepared.
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
		AtomicBoolean abandoned = new AtomicBoolean();
		Future<Attempt> future = this.executor.submit(() -> exchange(request, body, execution, abandoned));
		try {
			return this.guards.timeLimiter().executeFutureSupplier(() -> future);
		}
		catch (TimeoutException ex) {
			abandoned.set(true);
			closeIfDone(future);
			SocketTimeoutException timeout = new SocketTimeoutException("HTTP client '" + this.guards.client()
					+ "' timed out after " + this.guards.timeLimiter().getTimeLimiterConfig().getTimeoutDuration());
			timeout.initCause(ex);
			throw timeout;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abandoned.set(true);
			future.cancel(true);
			throw new InterruptedIOException("HTTP client '" + this.guards.client() + "' was interrupted");
		}
		catch (IOException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IOException("HTTP client '" + this.guards.client() + "' failed: " + ex, ex);
		}
	}

	private Attempt exchange(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
			AtomicBoolean abandoned) throws IOException {
		this.guards.bulkhead().acquirePermission();
		try {
			ClientHttpResponse response = execution.execute(request, body);
			int status = response.getStatusCode().value();
			HttpHeaders headers = response.getHeaders();
			HttpResponseRecorder rateLimits = this.guards.rateLimits();
			if (rateLimits != null) {
				rateLimits.record(status, headers);
			}
			Attempt attempt = new Attempt(response, status,
					RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.guards.clock()),
					this.guards.maxRetryAfter());
			if (abandoned.get()) {
				response.close();
			}
			return attempt;
		}
		finally {
			this.guards.bulkhead().onComplete();
		}
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
