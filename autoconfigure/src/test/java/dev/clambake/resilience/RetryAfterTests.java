package dev.clambake.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading {@code Retry-After} values against a fixed clock.
 */
class RetryAfterTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

	@Test
	void secondsAreReadAsSeconds() {
		assertThat(RetryAfter.parse("120", CLOCK)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse(" 0 ", CLOCK)).isEqualTo(Duration.ZERO);
	}

	@Test
	void httpDateIsReadAgainstTheClock() {
		assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:30:00 GMT", CLOCK)).isEqualTo(Duration.ofMinutes(2));
		assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
	}

	@Test
	void secondsTooLargeForALongAreLongerThanAnyCap() {
		Duration wait = RetryAfter.parse("99999999999999999999", CLOCK);
		assertThat(wait).isEqualTo(RetryAfter.BEYOND_ANY_CAP);
		assertThat(wait).isGreaterThan(Duration.ofSeconds(Long.MAX_VALUE));
		assertThat(RetryAfter.parse("9".repeat(400), CLOCK)).isEqualTo(RetryAfter.BEYOND_ANY_CAP);
	}

	@Test
	void largestLongOfSecondsIsReadAsItIs() {
		assertThat(RetryAfter.parse(Long.toString(Long.MAX_VALUE), CLOCK))
			.isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
	}

	@Test
	void missingNegativeAndMalformedValuesAreAbsent() {
		assertThat(RetryAfter.parse(null, CLOCK)).isNull();
		assertThat(RetryAfter.parse("  ", CLOCK)).isNull();
		assertThat(RetryAfter.parse("-5", CLOCK)).isNull();
		assertThat(RetryAfter.parse("-99999999999999999999", CLOCK)).isNull();
		assertThat(RetryAfter.parse("1.5", CLOCK)).isNull();
		assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
		assertThat(RetryAfter.parse("\u0661\u0662", CLOCK)).isNull();
	}

	@Test
	void attemptWithAWaitBeyondAnyCapIsNotRetried() {
		assertThat(attempt(503, RetryAfter.BEYOND_ANY_CAP, Duration.ofSeconds(30)).retryable()).isFalse();
		// Even a cap as long as a Duration goes does not make it a wait to sit out
		assertThat(attempt(503, RetryAfter.BEYOND_ANY_CAP, RetryAfter.BEYOND_ANY_CAP).retryable()).isFalse();
		assertThat(attempt(503, Duration.ofSeconds(30), Duration.ofSeconds(30)).retryable()).isTrue();
		assertThat(attempt(503, null, Duration.ofSeconds(30)).retryable()).isTrue();
	}

	private static HttpRetries.Attempt attempt(int status, Duration retryAfter, Duration maxRetryAfter) {
		return new HttpRetries.Attempt() {

			@Override
			public int status() {
				return status;
			}

			@Override
			public Duration retryAfter() {
				return retryAfter;
			}

			@Override
			public Duration maxRetryAfter() {
				return maxRetryAfter;
			}

			@Override
			public void release() {
			}

		};
	}

}
