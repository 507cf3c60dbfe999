package dev.clambake.health;

import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributors;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;

/**
 * A {@link ReactiveHealthContributorRegistry} whose contributors are read through the same
 * time boxes as blocking ones. Boot reads this registry from {@code /actuator/health} in
 * WebFlux applications and, as a fallback after the blocking registry, in servlet
 * applications with Reactor on the class path (where reactive indicators such as Redis's
 * would otherwise be blocked on with no limit).
 * <p>
 * Each reactive check runs on Clambake's health pool, which waits for its result, so a
 * {@code Mono} that never completes holds one pool thread, never a request, a probe or an
 * event loop; readers get the time-boxed result, served reactively on Reactor's
 * bounded-elastic scheduler. Registration goes to the registry it decorates unchanged.
 */
final class TimeBoxedReactiveHealthContributorRegistry implements ReactiveHealthContributorRegistry {

	private final ReactiveHealthContributorRegistry delegate;

	private final HealthContributors timeBoxed;

	TimeBoxedReactiveHealthContributorRegistry(ReactiveHealthContributorRegistry delegate,
			TimeBoxedHealthContributors timeBoxes) {
		this.delegate = delegate;
		this.timeBoxed = timeBoxes.view(new BlockingComposite(delegate));
	}

	@Override
	public void registerContributor(String name, ReactiveHealthContributor contributor) {
		this.delegate.registerContributor(name, contributor);
	}

	@Override
	public @Nullable ReactiveHealthContributor unregisterContributor(String name) {
		return this.delegate.unregisterContributor(name);
	}

	@Override
	public @Nullable ReactiveHealthContributor getContributor(String name) {
		return ReactiveHealthContributor.adapt(this.timeBoxed.getContributor(name));
	}

	@Override
	public Stream<Entry> stream() {
		return this.timeBoxed.stream()
			.map((entry) -> new Entry(entry.name(), ReactiveHealthContributor.adapt(entry.contributor())));
	}

	/**
	 * The blocking view Boot's servlet health endpoint reads: the time-boxed contributors
	 * themselves rather than Boot's adapter, which would block on each one with no limit.
	 */
	@Override
	public HealthContributors asHealthContributors() {
		return this.timeBoxed;
	}

	// ReactiveHealthContributor is sealed: an indicator or a composite
	private static HealthContributor blocking(ReactiveHealthContributor contributor) {
		return (contributor instanceof ReactiveHealthIndicator indicator) ? new Blocking(indicator)
				: new BlockingComposite((CompositeReactiveHealthContributor) contributor);
	}

	/**
	 * A reactive indicator read by waiting for its result, on the health pool's thread that
	 * runs it. A record, so that the views made on each read of the same indicator are equal
	 * and share one time box and its in-flight run.
	 */
	record Blocking(ReactiveHealthIndicator indicator) implements HealthIndicator {

		@Override
		public @Nullable Health health() {
			return this.indicator.health().block();
		}

	}

	/**
	 * Reactive contributors (the registry's, or a composite's children) read as
	 * {@link Blocking} indicators.
	 */
	record BlockingComposite(ReactiveHealthContributors contributors) implements CompositeHealthContributor {

		@Override
		public @Nullable HealthContributor getContributor(String name) {
			ReactiveHealthContributor contributor = this.contributors.getContributor(name);
			return (contributor != null) ? blocking(contributor) : null;
		}

		@Override
		public Stream<Entry> stream() {
			return this.contributors.stream()
				.map((entry) -> new Entry(entry.name(), blocking(entry.contributor())));
		}

	}

}
