package dev.clambake.shutdown;

import io.micrometer.core.instrument.MeterRegistry;

import dev.clambake.config.ClambakeCapability;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for Clambake's graceful shutdown: readiness flips at once, the server
 * keeps serving for {@code clambake.shutdown.drain-delay}, Spring Boot's graceful shutdown
 * lets in-flight requests finish, then {@link ShutdownHook} beans and the wait for
 * {@link InFlightWork tracked work} run in order, each bounded by a timeout.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "clambake.shutdown.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeShutdownProperties.class)
public final class ClambakeShutdownAutoConfiguration {

	@Bean
	ClambakeCapability clambakeShutdownCapability() {
		return new ClambakeCapability("shutdown");
	}

	@Bean
	@ConditionalOnMissingBean
	InFlightWork inFlightWork() {
		return new InFlightWork();
	}

	@Bean
	@ConditionalOnMissingBean
	ShutdownSequence clambakeShutdownSequence(ApplicationContext context, ClambakeShutdownProperties properties,
			InFlightWork inFlightWork, ObjectProvider<ApplicationAvailability> availability,
			ObjectProvider<ShutdownRecorder> recorder) {
		return new ShutdownSequence(context, properties, inFlightWork, availability,
				recorder.getIfAvailable(() -> ShutdownRecorder.NONE));
	}

	@Bean
	@ConditionalOnMissingBean(name = "clambakeShutdownDrainLifecycle")
	ShutdownPhaseLifecycle clambakeShutdownDrainLifecycle(ShutdownSequence sequence) {
		return ShutdownPhaseLifecycle.drain(sequence);
	}

	@Bean
	@ConditionalOnMissingBean(name = "clambakeShutdownHooksLifecycle")
	ShutdownPhaseLifecycle clambakeShutdownHooksLifecycle(ShutdownSequence sequence) {
		return ShutdownPhaseLifecycle.hooks(sequence);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class ShutdownMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ShutdownMetrics clambakeShutdownMetrics(ObjectProvider<MeterRegistry> registries,
				ObjectProvider<InFlightWork> inFlightWork) {
			return new ShutdownMetrics(registries, inFlightWork);
		}

	}

}
