package dev.clambake.metrics;

import dev.clambake.config.FeatureFlag;
import dev.clambake.config.FeatureFlags;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * One gauge per feature flag, {@code clambake_feature_enabled{feature="new-checkout"}}, 1 when
 * the flag is on and 0 when it is off.
 */
public class FeatureFlagMetrics implements MeterBinder {

	private final FeatureFlags featureFlags;

	/**
	 * Create the binder.
	 * @param featureFlags the flags to report
	 */
	public FeatureFlagMetrics(FeatureFlags featureFlags) {
		this.featureFlags = featureFlags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (FeatureFlag flag : this.featureFlags.list()) {
			String name = flag.name();
			Gauge.builder("clambake.feature.enabled", this.featureFlags, (flags) -> flags.isEnabled(name) ? 1 : 0)
				.description("Whether a feature flag is on (1) or off (0)")
				.tag("feature", name)
				.register(registry);
		}
	}

}
