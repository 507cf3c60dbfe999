package dev.clambake.resilience;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The retry rules every named HTTP client follows, blocking ({@code RestClient}) or reactive
 * ({@code WebClient}): what is transient, which responses are asked again, how long to wait.
 * <p>
 * Retries happen on connection failures (refused, reset, unknown host, connect timeout) and
 * on {@code 502}, {@code 503}, {@code 504} and {@code 429} responses; never on other
 * {@code 4xx}, on {@code 500}, on read timeouts (a hanging upstream is not asked again) or
 * when the breaker is open. A {@code Retry-After} header sets the wait when it is within the
 * client's {@code max-retry-after}; a longer one, or one too large to read as a number of
 * seconds, returns the response at once.
 */
final class HttpRetries {

	private static final Set<Integer> RETRIED_STATUSES = Set.of(429, 502, 503, 504);

	private HttpRetries() {
	}

	/**
	 * Return the registry's retry instance of that name narrowed to HTTP, replacing the
	 * registry's instance once (keeping its name and tags, so its metrics stay where they
	 * are); clients sharing the instance, blocking or reactive, share the narrowed one.
	 */
	static synchronized Retry retry(RetryRegistry retries, String name) {
		Retry base = retries.retry(name);
		if (base.getRetryConfig().getResultPredicate() instanceof RetryableAttempt) {
			return base;
		}
		Retry retry = Retry.of(name, retryConfig(base.getRetryConfig()), base.getTags());
		retries.replace(name, retry);
		return retry;
	}

	/**
	 * Derive the retry a named client uses from the registry's instance: its attempts, backoff
	 * and exception filters, narrowed to what is safe to send again over HTTP.
	 */
	static RetryConfig retryConfig(RetryConfig base) {
		Predicate<Throwable> baseExceptions = base.getExceptionPredicate();
		IntervalBiFunction<Object> baseInterval = base.getIntervalBiFunction();
		return RetryConfig.<Object>from(base)
			.retryExceptions()
			.retryOnException((ex) -> isTransient(ex) && baseExceptions.test(ex))
			.retryOnResult(new RetryableAttempt())
			.consumeResultBeforeRetryAttempt((number, result) -> {
				if (result instanceof Attempt attempt) {
					attempt.release();
				}
			})
			.intervalBiFunction((number, outcome) -> {
				if (outcome.isRight() && outcome.get() instanceof Attempt attempt && attempt.retryAfter() != null) {
					return attempt.retryAfter().toMillis();
				}
				return baseInterval.apply(number, outcome);
			})
			.build();
	}

	/**
	 * Whether a failed exchange may be sent again: the connection failed before a response
	 * could be on its way.
	 */
	static boolean isTransient(Throwable ex) {
		if (ex instanceof HttpConnectTimeoutException || ex instanceof ConnectException
				|| ex instanceof NoRouteToHostException || ex instanceof UnknownHostException) {
			return true;
		}
		if (ex instanceof SocketTimeoutException || ex instanceof HttpTimeoutException
				|| ex instanceof InterruptedIOException) {
			// A read timeout: the upstream may be working on it; asking again adds load
			return (ex.getMessage() != null && ex.getMessage().toLowerCase().contains("connect"));
		}
		if (ex instanceof SocketException || isClosedBeforeResponse(ex)) {
			// Connection reset or closed before a response
			return true;
		}
		Throwable cause = ex.getCause();
		return cause != null && cause != ex && isTransient(cause);
	}

	/**
	 * Reactor Netty's {@code PrematureCloseException} for a connection closed before any
	 * response (not one closed while a response was being read).
	 */
	private static boolean isClosedBeforeResponse(Throwable ex) {
		return ex.getClass().getName().equals("reactor.netty.http.client.PrematureCloseException")
				&& ex.getMessage() != null && ex.getMessage().contains("BEFORE response");
	}

	/**
	 * One exchange's outcome, with what the retry decision needs.
	 */
	interface Attempt {

		int status();

		@Nullable Duration retryAfter();

		/**
		 * The longest {@code Retry-After} the client waits for.
		 */
		Duration maxRetryAfter();

		/**
		 * Release the response (drain or close its body): it is not passed on.
		 */
		void release();

		default boolean retryable() {
			if (!RETRIED_STATUSES.contains(status())) {
				return false;
			}
			Duration retryAfter = retryAfter();
			return retryAfter == null
					|| (retryAfter.compareTo(maxRetryAfter()) <= 0 && !retryAfter.equals(RetryAfter.BEYOND_ANY_CAP));
		}

	}

	/**
	 * Retries an {@link Attempt} that asks for it; marks a retry instance as narrowed to HTTP.
	 */
	private static final class RetryableAttempt implements Predicate<Object> {

		@Override
		public boolean test(Object result) {
			return result instanceof Attempt attempt && attempt.retryable();
		}

	}

}
