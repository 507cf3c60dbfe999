package dev.clambake.health;

import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.registry.HealthContributorRegistry;

/**
 * A {@link HealthContributorRegistry} whose contributors, the application's and those
 * registered later, are all read through time boxes. Registration goes to the registry it
 * decorates unchanged.
 */
final class TimeBoxedHealthContributorRegistry implements HealthContributorRegistry {

	private final HealthContributorRegistry delegate;

	private final HealthContributors timeBoxed;

	TimeBoxedHealthContributorRegistry(HealthContributorRegistry delegate, TimeBoxedHealthContributors timeBoxes) {
		this.delegate = delegate;
		this.timeBoxed = timeBoxes.view(delegate);
	}

	@Override
	public void registerContributor(String name, HealthContributor contributor) {
		this.delegate.registerContributor(name, contributor);
	}

	@Override
	public @Nullable HealthContributor unregisterContributor(String name) {
		return this.delegate.unregisterContributor(name);
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.timeBoxed.getContributor(name);
	}

	@Override
	public Stream<Entry> stream() {
		return this.timeBoxed.stream();
	}

}
