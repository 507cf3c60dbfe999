package dev.clambake.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Named outbound HTTP clients, {@code clambake.http.clients.<name>.*}.
 */
@ConfigurationProperties("clambake.http")
public class ClambakeHttpClientsProperties {

	/**
	 * Named HTTP clients: base URL, timeouts, the Resilience4j instances each call goes through
	 * and which methods are retried.
	 */
	private final Map<String, Client> clients = new LinkedHashMap<>();

	public Map<String, Client> getClients() {
		return this.clients;
	}

	/**
	 * One named HTTP client.
	 */
	public static class Client {

		static final String NONE = "none";

		/**
		 * Methods that are safe to send twice, retried by default.
		 */
		public static final List<HttpMethod> IDEMPOTENT_METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD,
				HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

		/**
		 * Base URL relative request URIs are resolved against; none when not set.
		 */
		private @Nullable String baseUrl;

		/**
		 * Connect timeout; spring.http.clients.connect-timeout when not set.
		 */
		private @Nullable Duration connectTimeout;

		/**
		 * Read timeout; spring.http.clients.read-timeout when not set.
		 */
		private @Nullable Duration readTimeout;

		/**
		 * Name of the Resilience4j circuit breaker instance; the client's name when not set, or
		 * 'none' for no circuit breaker.
		 */
		private @Nullable String circuitBreaker;

		/**
		 * Name of the Resilience4j retry instance; the client's name when not set.
		 */
		private @Nullable String retry;

		/**
		 * Name of the Resilience4j time limiter instance; the client's name when not set.
		 */
		private @Nullable String timeLimiter;

		/**
		 * Name of the Resilience4j bulkhead instance; the client's name when not set.
		 */
		private @Nullable String bulkhead;

		/**
		 * HTTP methods that are retried; other methods are sent once.
		 */
		private Set<HttpMethod> retryMethods = new LinkedHashSet<>(IDEMPOTENT_METHODS);

		/**
		 * Longest Retry-After wait honoured before a retry; a longer one returns the response
		 * without retrying.
		 */
		private Duration maxRetryAfter = Duration.ofSeconds(10);

		/**
		 * How the client reads and respects its upstream's rate limit.
		 */
		private final RateLimit rateLimit = new RateLimit();

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

		public @Nullable String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable String baseUrl) {
			if (StringUtils.hasText(baseUrl)) {
				URI uri = URI.create(baseUrl.trim());
				Assert.isTrue(uri.isAbsolute() && uri.getHost() != null, "must be an absolute http or https URL");
				Assert.isTrue("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()),
						"must be an absolute http or https URL");
				this.baseUrl = baseUrl.trim();
			}
			else {
				this.baseUrl = null;
			}
		}

		public @Nullable Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(@Nullable Duration connectTimeout) {
			Assert.isTrue(connectTimeout == null || (!connectTimeout.isNegative() && !connectTimeout.isZero()),
					"must be positive");
			this.connectTimeout = connectTimeout;
		}

		public @Nullable Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(@Nullable Duration readTimeout) {
			Assert.isTrue(readTimeout == null || (!readTimeout.isNegative() && !readTimeout.isZero()),
					"must be positive");
			this.readTimeout = readTimeout;
		}

		public @Nullable String getCircuitBreaker() {
			return this.circuitBreaker;
		}

		public void setCircuitBreaker(@Nullable String circuitBreaker) {
			this.circuitBreaker = circuitBreaker;
		}

		public @Nullable String getRetry() {
			return this.retry;
		}

		public void setRetry(@Nullable String retry) {
			this.retry = retry;
		}

		public @Nullable String getTimeLimiter() {
			return this.timeLimiter;
		}

		public void setTimeLimiter(@Nullable String timeLimiter) {
			this.timeLimiter = timeLimiter;
		}

		public @Nullable String getBulkhead() {
			return this.bulkhead;
		}

		public void setBulkhead(@Nullable String bulkhead) {
			this.bulkhead = bulkhead;
		}

		public Set<HttpMethod> getRetryMethods() {
			return this.retryMethods;
		}

		public void setRetryMethods(Set<HttpMethod> retryMethods) {
			this.retryMethods = retryMethods;
		}

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			Assert.isTrue(!maxRetryAfter.isNegative(), "must not be negative");
			this.maxRetryAfter = maxRetryAfter;
		}

		/**
		 * Whether the client calls without a circuit breaker ({@code circuit-breaker=none}).
		 * @return {@code true} when the breaker is switched off
		 */
		public boolean hasNoCircuitBreaker() {
			return NONE.equalsIgnoreCase(this.circuitBreaker);
		}

		static String orName(@Nullable String instance, String name) {
			return StringUtils.hasText(instance) ? instance : name;
		}

	}

	/**
	 * A named client's view of its upstream's rate limit, GitHub's headers by default.
	 */
	public static class RateLimit {

		/**
		 * Response header holding the calls remaining in the upstream's rate-limit window.
		 */
		private String remainingHeader = "x-ratelimit-remaining";

		/**
		 * Response header holding when the window resets: epoch seconds, or seconds from now
		 * when under one billion.
		 */
		private String resetHeader = "x-ratelimit-reset";

		/**
		 * Remaining count under which calls wait for the reset (or are refused when it is
		 * further than max-retry-after), so one replica does not exhaust a shared limit; 0 for
		 * none.
		 */
		private int reserve = 0;

		/**
		 * Interval of the INFO summary of the client's calls, throttled responses, remaining
		 * count and reset; none when not set.
		 */
		private @Nullable Duration summaryInterval;

		public String getRemainingHeader() {
			return this.remainingHeader;
		}

		public void setRemainingHeader(String remainingHeader) {
			Assert.hasText(remainingHeader, "must not be empty");
			this.remainingHeader = remainingHeader;
		}

		public String getResetHeader() {
			return this.resetHeader;
		}

		public void setResetHeader(String resetHeader) {
			Assert.hasText(resetHeader, "must not be empty");
			this.resetHeader = resetHeader;
		}

		public int getReserve() {
			return this.reserve;
		}

		public void setReserve(int reserve) {
			Assert.isTrue(reserve >= 0, "must not be negative");
			this.reserve = reserve;
		}

		public @Nullable Duration getSummaryInterval() {
			return this.summaryInterval;
		}

		public void setSummaryInterval(@Nullable Duration summaryInterval) {
			Assert.isTrue(summaryInterval == null || (!summaryInterval.isNegative() && !summaryInterval.isZero()),
					"must be positive");
			this.summaryInterval = summaryInterval;
		}

	}

}
