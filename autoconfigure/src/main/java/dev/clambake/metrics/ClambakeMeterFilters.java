package dev.clambake.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Clambake's meter filters. Each runs after Spring Boot's {@code management.metrics.*}
 * filter and only fills in what is not set yet, so Spring Boot's properties still win.
 */
final class ClambakeMeterFilters {

	// Spring Boot's PropertiesMeterFilter has order 0
	static final int ORDER = 100;

	private ClambakeMeterFilters() {
	}

	/**
	 * Adds {@code application} and {@code environment} to every meter that lacks them.
	 */
	static final class CommonTags implements MeterFilter, Ordered {

		private final Tags tags;

		CommonTags(String application, String environment) {
			this.tags = Tags.of(Tag.of("application", application), Tag.of("environment", environment));
		}

		@Override
		public Meter.Id map(Meter.Id id) {
			return id.replaceTags(Tags.concat(this.tags, id.getTagsAsIterable()));
		}

		Tags tags() {
			return this.tags;
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

	}

	/**
	 * Gives meters that have no description one, so every Prometheus series has help text.
	 */
	static final class Descriptions implements MeterFilter, Ordered {

		private static final Map<String, String> KNOWN = Map.of("http.server.requests",
				"Duration of HTTP server requests", "http.server.requests.active", "HTTP server requests in progress",
				"http.client.requests", "Duration of HTTP client requests", "http.client.requests.active",
				"HTTP client requests in progress");

		@Override
		public Meter.Id map(Meter.Id id) {
			String description = id.getDescription();
			if (description != null && !description.isBlank()) {
				return id;
			}
			String name = id.getName();
			return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
					KNOWN.getOrDefault(name, name.replace('.', ' ')), id.getType());
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

	}

	/**
	 * Gives HTTP request timers histogram buckets at the SLO boundaries, unless
	 * {@code management.metrics.distribution.slo.*} already set some.
	 */
	static final class Slo implements MeterFilter, Ordered {

		private static final Set<String> METERS = Set.of("http.server.requests", "http.client.requests");

		private final double[] boundariesNanos;

		Slo(List<Duration> boundaries) {
			this.boundariesNanos = boundaries.stream().mapToDouble((boundary) -> boundary.toNanos()).sorted().toArray();
		}

		@Override
		public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
			if (id.getType() != Meter.Type.TIMER || !METERS.contains(id.getName())
					|| this.boundariesNanos.length == 0) {
				return config;
			}
			return config.merge(DistributionStatisticConfig.builder()
				.serviceLevelObjectives(this.boundariesNanos)
				.build());
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

	}

}
