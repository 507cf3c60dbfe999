package dev.clambake.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP {@code Retry-After} value: delay seconds ({@code 120}) or an HTTP date
 * ({@code Wed, 21 Oct 2015 07:28:00 GMT}).
 * <p>
 * A number of seconds too large for a {@code long} ({@code 99999999999999999999}) is still a
 * number of seconds: it reads as {@link #BEYOND_ANY_CAP}, longer than any client's
 * {@code max-retry-after}, never as a missing header.
 */
final class RetryAfter {

	/**
	 * The wait a number of seconds too large to represent asks for: the longest
	 * {@link Duration} there is.
	 */
	static final Duration BEYOND_ANY_CAP = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

	private RetryAfter() {
	}

	/**
	 * Return how long the server asks to wait, never negative, {@link #BEYOND_ANY_CAP} when
	 * the number of seconds is too large to represent, or {@code null} when the value is
	 * missing or malformed (a negative number, text that is not an HTTP date).
	 */
	static @Nullable Duration parse(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		if (text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			try {
				return Duration.ofSeconds(Long.parseLong(text));
			}
			catch (NumberFormatException ex) {
				// Only digits, so too many of them: a wait longer than any cap
				return BEYOND_ANY_CAP;
			}
		}
		try {
			ZonedDateTime date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
			Duration wait = Duration.between(clock.instant(), date.toInstant());
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
