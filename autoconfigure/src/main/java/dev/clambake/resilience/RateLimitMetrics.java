package dev.clambake.resilience;

import java.time.Clock;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Records one client's rate-limit headers as gauges and counts its throttled responses: a
 * {@code 429}, or a {@code 403} with nothing remaining (GitHub's answer to an exhausted limit).
 * Understands {@code X-RateLimit-Remaining}/{@code X-RateLimit-Reset} (a reset above one
 * billion is taken as epoch seconds), {@code RateLimit-Remaining}/{@code RateLimit-Reset} and
 * the combined {@code RateLimit} header ({@code remaining=}/{@code r=}, {@code reset=}/{@code t=}).
 */
final class RateLimitMetrics implements HttpResponseRecorder {

	static final String REMAINING = "clambake.http.client.ratelimit.remaining";

	static final String RESET = "clambake.http.client.ratelimit.reset";

	static final String THROTTLED = "clambake.http.client.throttled";

	private static final double EPOCH_SECONDS_THRESHOLD = 1_000_000_000d;

	private final MeterRegistry registry;

	private final String client;

	private final Clock clock;

	private final Counter throttled;

	private volatile double remaining = Double.NaN;

	private volatile double reset = Double.NaN;

	private volatile boolean remainingRegistered;

	private volatile boolean resetRegistered;

	RateLimitMetrics(MeterRegistry registry, String client, Clock clock) {
		this.registry = registry;
		this.client = client;
		this.clock = clock;
		this.throttled = Counter.builder(THROTTLED)
			.description("Throttled responses (429, or 403 with nothing remaining) received by a named HTTP client")
			.tag("client", client)
			.register(registry);
	}

	@Override
	public void record(int status, HttpHeaders headers) {
		Double remainingValue = number(first(headers, "X-RateLimit-Remaining", "RateLimit-Remaining"));
		if (status == 429 || (status == 403 && remainingValue != null && remainingValue == 0)) {
			this.throttled.increment();
		}
		Double resetValue = number(first(headers, "X-RateLimit-Reset", "RateLimit-Reset"));
		String combined = headers.getFirst("RateLimit");
		if (combined != null) {
			remainingValue = (remainingValue != null) ? remainingValue : parameter(combined, "remaining", "r");
			resetValue = (resetValue != null) ? resetValue : parameter(combined, "reset", "t");
		}
		if (remainingValue != null) {
			this.remaining = remainingValue;
			registerRemaining();
		}
		if (resetValue != null) {
			double seconds = resetValue;
			if (seconds > EPOCH_SECONDS_THRESHOLD) {
				seconds = Math.max(0, seconds - this.clock.millis() / 1000d);
			}
			this.reset = seconds;
			registerReset();
		}
	}

	private void registerRemaining() {
		if (!this.remainingRegistered) {
			Gauge.builder(REMAINING, this, (metrics) -> metrics.remaining)
				.description("Requests the upstream last said remain in its rate-limit window")
				.tag("client", this.client)
				.register(this.registry);
			this.remainingRegistered = true;
		}
	}

	private void registerReset() {
		if (!this.resetRegistered) {
			Gauge.builder(RESET, this, (metrics) -> metrics.reset)
				.description("Seconds until the upstream's rate-limit window resets, as it last said")
				.baseUnit("seconds")
				.tag("client", this.client)
				.register(this.registry);
			this.resetRegistered = true;
		}
	}

	private static @Nullable String first(HttpHeaders headers, String... names) {
		for (String name : names) {
			String value = headers.getFirst(name);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	private static @Nullable Double parameter(String header, String... names) {
		for (String part : header.split("[,;]")) {
			String[] pair = part.trim().split("=", 2);
			if (pair.length == 2) {
				String key = pair[0].trim().toLowerCase(Locale.ROOT);
				for (String name : names) {
					if (key.equals(name)) {
						return number(pair[1]);
					}
				}
			}
		}
		return null;
	}

	private static @Nullable Double number(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			double number = Double.parseDouble(value.trim());
			return (Double.isFinite(number) && number >= 0) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
