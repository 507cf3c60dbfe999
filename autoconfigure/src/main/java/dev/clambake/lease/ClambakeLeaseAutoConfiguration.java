package dev.clambake.lease;

import java.time.Duration;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.shutdown.InFlightWork;
import dev.clambake.shutdown.ShutdownHook;
import dev.clambake.state.ClambakeStateAutoConfiguration;
import dev.clambake.state.StateLeaseTable;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for leases with fencing tokens and single-replica jobs, on whenever the
 * state store is ({@code clambake.state.enabled=true}) unless {@code clambake.lease.enabled=false}.
 * Leases live in the store's own database and migrations; readiness does not depend on them.
 */
@AutoConfiguration(after = ClambakeStateAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "clambake.state.enabled")
@ConditionalOnBooleanProperty(name = "clambake.lease.enabled", matchIfMissing = true)
@ConditionalOnBean(StateLeaseTable.class)
@EnableConfigurationProperties(ClambakeLeaseProperties.class)
public final class ClambakeLeaseAutoConfiguration {

	@Bean
	ClambakeCapability clambakeLeaseCapability() {
		return new ClambakeCapability("lease");
	}

	@Bean
	@ConditionalOnMissingBean
	Leases leases(StateLeaseTable table, ClambakeLeaseProperties properties, ObjectProvider<LeaseListener> listeners) {
		return new DefaultLeases(table, properties.resolveHolder(), listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	SingleReplicaJobs singleReplicaJobs(Leases leases, ObjectProvider<InFlightWork> inFlightWork,
			ObjectProvider<LeaseListener> listeners) {
		return new SingleReplicaJobs(leases, inFlightWork.getIfAvailable(), listeners.orderedStream().toList());
	}

	@Bean
	static SingleReplicaPostProcessor singleReplicaPostProcessor(Environment environment) {
		ClambakeLeaseProperties defaults = new ClambakeLeaseProperties();
		return new SingleReplicaPostProcessor(environment.getProperty("clambake.lease.default-duration",
				Duration.class, defaults.getDefaultDuration()));
	}

	// Once tracked work has finished (order 2000) and before the store closes (5000): another
	// replica takes the leases over at once instead of waiting for them to expire
	@Bean
	@ConditionalOnMissingBean(name = "leasesShutdownHook")
	ShutdownHook leasesShutdownHook(ObjectProvider<Leases> leases, ClambakeLeaseProperties properties) {
		return ShutdownHook.of("leases", ShutdownHook.ORDER_DEFAULT, properties.getReleaseTimeout(), () -> {
			Leases current = leases.getIfAvailable();
			if (current != null) {
				current.releaseAll();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class LeaseMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LeaseMetrics leaseMetrics(MeterRegistry registry) {
			return new LeaseMetrics(registry);
		}

	}

}
