package dev.clambake.health;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Time-boxed views of health contributors. Each indicator, at any depth, is wrapped once per
 * name in a {@link TimeBoxedHealthIndicator} that keeps its in-flight run between calls.
 * Streaming the contributors (what the health endpoint does at the start of every request)
 * starts every indicator's check at once, so the endpoint, which then reads them one after
 * another, waits no longer than the largest time box.
 */
final class TimeBoxedHealthContributors {

	private final ClambakeHealthProperties properties;

	private final Status timeoutStatus;

	private final Executor executor;

	private final Map<String, TimeBoxedHealthIndicator> indicators = new ConcurrentHashMap<>();

	TimeBoxedHealthContributors(ClambakeHealthProperties properties, Executor executor) {
		this.properties = properties;
		this.timeoutStatus = new Status(properties.getTimeoutStatus());
		this.executor = executor;
	}

	/**
	 * Return the time-boxed view of top-level contributors, what a registry hands out.
	 */
	HealthContributors view(HealthContributors contributors) {
		return new HealthContributors() {

			@Override
			public @Nullable HealthContributor getContributor(String name) {
				return get(name, contributors.getContributor(name));
			}

			@Override
			public Stream<Entry> stream() {
				return TimeBoxedHealthContributors.this.stream("", contributors);
			}

		};
	}

	/**
	 * Return the time-boxed view of the named contributor; its checks start when it is read.
	 */
	@Nullable HealthContributor get(String name, @Nullable HealthContributor contributor) {
		if (contributor instanceof HealthIndicator indicator) {
			return indicator(name, indicator);
		}
		if (contributor instanceof CompositeHealthContributor composite) {
			return new Composite(name, composite, null);
		}
		return contributor;
	}

	/**
	 * Return time-boxed views of the given contributors with every check already started.
	 */
	Stream<HealthContributors.Entry> stream(String prefix, HealthContributors contributors) {
		List<HealthContributors.Entry> entries = contributors.stream()
			.map((entry) -> new HealthContributors.Entry(entry.name(),
					started(prefix + entry.name(), entry.contributor())))
			.toList();
		return entries.stream();
	}

	private HealthContributor started(String name, HealthContributor contributor) {
		if (contributor instanceof HealthIndicator indicator) {
			TimeBoxedHealthIndicator timeBoxed = indicator(name, indicator);
			TimeBoxedHealthIndicator.Run run = timeBoxed.acquire();
			return (HealthIndicator) () -> timeBoxed.read(run);
		}
		if (contributor instanceof CompositeHealthContributor composite) {
			return new Composite(name, composite, stream(name + "/", composite).toList());
		}
		return contributor;
	}

	private TimeBoxedHealthIndicator indicator(String name, HealthIndicator indicator) {
		if (indicator instanceof TimeBoxedHealthIndicator timeBoxed) {
			return timeBoxed;
		}
		// equals, not identity: reactive indicators arrive in a new (equal) blocking view on each read
		return this.indicators.compute(name, (key, existing) -> (existing != null
				&& existing.getDelegate().equals(indicator)) ? existing
						: new TimeBoxedHealthIndicator(key, indicator, this.properties.timeoutFor(key),
								this.properties.getCacheTtl(), this.timeoutStatus, this.executor,
								(indicator instanceof ProbeStateIndicator) ? null
										: FlapDamper.forComponent(this.properties, key, Clock.systemUTC())));
	}

	/**
	 * A time-boxed composite: its children are time-boxed too.
	 */
	private final class Composite implements CompositeHealthContributor {

		private final String name;

		private final CompositeHealthContributor delegate;

		private final @Nullable List<Entry> started;

		Composite(String name, CompositeHealthContributor delegate, @Nullable List<Entry> started) {
			this.name = name;
			this.delegate = delegate;
			this.started = started;
		}

		@Override
		public @Nullable HealthContributor getContributor(String child) {
			return get(this.name + "/" + child, this.delegate.getContributor(child));
		}

		@Override
		public Stream<Entry> stream() {
			return (this.started != null) ? this.started.stream() : TimeBoxedHealthContributors.this
				.stream(this.name + "/", this.delegate);
		}

	}

}
