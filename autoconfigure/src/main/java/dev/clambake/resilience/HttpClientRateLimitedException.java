package dev.clambake.resilience;

import java.time.Instant;

/**
 * Thrown instead of sending a named HTTP client's call when its upstream's rate limit is
 * exhausted (or under the client's reserve) and resets later than the client's
 * {@code max-retry-after}: the call is refused at once rather than held that long.
 */
public class HttpClientRateLimitedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String client;

	private final Instant reset;

	/**
	 * Create an instance.
	 * @param client the client's name
	 * @param reset when the upstream's limit resets
	 */
	public HttpClientRateLimitedException(String client, Instant reset) {
		super("HTTP client '" + client + "' is rate limited by its upstream until " + reset
				+ ", later than its max-retry-after; call refused");
		this.client = client;
		this.reset = reset;
	}

	/**
	 * The client's name.
	 * @return the name
	 */
	public String getClient() {
		return this.client;
	}

	/**
	 * When the upstream's limit resets.
	 * @return the reset time
	 */
	public Instant getReset() {
		return this.reset;
	}

}
