package dev.clambake.resilience;

import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import dev.clambake.resilience.ClambakeHttpClientsProperties.RateLimit;

/**
 * One named client's view of its upstream's rate limit, as GitHub sends it: a {@code 403} or
 * {@code 429} with a remaining count of {@code 0} is throttled, and the next call waits until
 * the reset time; a remaining count under the client's reserve holds calls until the reset
 * too. A wait longer than the client's {@code max-retry-after} is not waited: the call is
 * refused at once with {@link HttpClientRateLimitedException}.
 * <p>
 * The reset header is read as epoch seconds when above one billion (GitHub's
 * {@code x-ratelimit-reset}), else as seconds from now.
 */
final class RateLimitGate {

	private static final double EPOCH_SECONDS_THRESHOLD = 1_000_000_000d;

	private final String client;

	private final RateLimit settings;

	private final Duration maxWait;

	private final Clock clock;

	private final Sleeper sleeper;

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong throttled = new AtomicLong();

	private final AtomicLong held = new AtomicLong();

	private volatile long remaining = -1;

	private volatile @Nullable Instant reset;

	private volatile @Nullable Instant closedUntil;

	RateLimitGate(String client, RateLimit settings, Duration maxWait, Clock clock, Sleeper sleeper) {
		this.client = client;
		this.settings = settings;
		this.maxWait = maxWait;
		this.clock = clock;
		this.sleeper = sleeper;
	}

	/**
	 * Hold the calling thread until the next call may go.
	 * @throws HttpClientRateLimitedException when the wait is longer than the cap
	 * @throws InterruptedIOException when interrupted while waiting
	 */
	void await() throws InterruptedIOException {
		Duration wait = delay();
		if (!wait.isZero()) {
			try {
				this.sleeper.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException(
						"HTTP client '" + this.client + "' was interrupted waiting for its rate limit to reset");
			}
		}
	}

	/**
	 * Return how long the next call must wait, {@link Duration#ZERO} when it may go at once.
	 * @throws HttpClientRateLimitedException when the wait is longer than the cap
	 */
	Duration delay() {
		Instant until = this.closedUntil;
		if (until == null) {
			return Duration.ZERO;
		}
		Duration wait = Duration.between(this.clock.instant(), until);
		if (wait.isNegative() || wait.isZero()) {
			return Duration.ZERO;
		}
		if (wait.compareTo(this.maxWait) > 0) {
			throw new HttpClientRateLimitedException(this.client, until);
		}
		this.held.incrementAndGet();
		return wait;
	}

	/**
	 * Record a response and return how long until the limit resets when it says the client is
	 * throttled ({@code 403} or {@code 429} with nothing remaining), else {@code null}.
	 */
	@Nullable Duration record(int status, HttpHeaders headers) {
		this.calls.incrementAndGet();
		Long remainingValue = whole(headers.getFirst(this.settings.getRemainingHeader()));
		Instant resetValue = instant(headers.getFirst(this.settings.getResetHeader()));
		if (remainingValue != null) {
			this.remaining = remainingValue;
		}
		if (resetValue != null) {
			this.reset = resetValue;
		}
		boolean exhausted = remainingValue != null && remainingValue == 0 && (status == 403 || status == 429);
		if (exhausted) {
			this.throttled.incrementAndGet();
		}
		boolean underReserve = remainingValue != null && remainingValue < this.settings.getReserve();
		if ((exhausted || underReserve) && resetValue != null) {
			this.closedUntil = resetValue;
		}
		if (exhausted) {
			return (resetValue != null) ? nonNegative(Duration.between(this.clock.instant(), resetValue))
					: null;
		}
		return null;
	}

	/**
	 * Whether a response is a throttled one, for the {@code throttled} counter: a {@code 429},
	 * or a {@code 403} whose remaining count is {@code 0}.
	 */
	boolean isThrottled(int status, HttpHeaders headers) {
		if (status == 429) {
			return true;
		}
		Long remainingValue = whole(headers.getFirst(this.settings.getRemainingHeader()));
		return status == 403 && remainingValue != null && remainingValue == 0;
	}

	String client() {
		return this.client;
	}

	/**
	 * The figures of the periodic summary.
	 */
	Summary summary() {
		long remainingValue = this.remaining;
		return new Summary(this.client, this.calls.get(), this.throttled.get(), this.held.get(),
				(remainingValue >= 0) ? remainingValue : null, this.reset);
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

	private @Nullable Instant instant(@Nullable String value) {
		Long seconds = whole(value);
		if (seconds == null) {
			return null;
		}
		if (seconds > EPOCH_SECONDS_THRESHOLD) {
			return Instant.ofEpochSecond(seconds);
		}
		return this.clock.instant().plusSeconds(seconds);
	}

	private static @Nullable Long whole(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			long number = Long.parseLong(value.trim());
			return (number >= 0) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A client's calls, throttled responses, calls held for the reset, and what the upstream
	 * last said remains and when it resets.
	 */
	record Summary(String client, long calls, long throttled, long held, @Nullable Long remaining,
			@Nullable Instant reset) {

		@Override
		public String toString() {
			return "Rate limit of HTTP client '" + this.client + "': calls=" + this.calls + " throttled="
					+ this.throttled + " held=" + this.held + " remaining="
					+ ((this.remaining != null) ? this.remaining : "-") + " reset="
					+ ((this.reset != null) ? this.reset : "-");
		}

	}

	/**
	 * Waits; a test replaces it so that no test waits for real.
	 */
	@FunctionalInterface
	interface Sleeper {

		Sleeper THREAD = (duration) -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

		void sleep(Duration duration) throws InterruptedException;

	}

}
