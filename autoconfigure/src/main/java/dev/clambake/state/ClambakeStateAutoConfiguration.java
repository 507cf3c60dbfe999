package dev.clambake.state;

import com.zaxxer.hikari.HikariDataSource;
import dev.clambake.config.ClambakeCapability;
import dev.clambake.health.ClambakeReadinessMember;
import dev.clambake.shutdown.ShutdownHook;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import tools.jackson.core.json.JsonFactory;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration for Clambake's state store, off unless {@code clambake.state.enabled=true}.
 * The store owns its pool and its Flyway migrations and declares neither a {@code DataSource}
 * nor a {@code Flyway} bean, so the application's own database set-up is left untouched.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "clambake.state.enabled")
@ConditionalOnClass({ HikariDataSource.class, Flyway.class, JsonFactory.class })
@EnableConfigurationProperties(ClambakeStateProperties.class)
public final class ClambakeStateAutoConfiguration {

	@Bean
	ClambakeCapability clambakeStateCapability() {
		return new ClambakeCapability("state");
	}

	@Bean
	@ConditionalOnMissingBean(StateStore.class)
	JdbcStateStore stateStore(ClambakeStateProperties properties, ObjectProvider<StateStoreListener> listeners,
			ResourceLoader resourceLoader, ObjectProvider<ObservationRegistry> observations) {
		return JdbcStateStore.open(properties, listeners.orderedStream().toList(), resourceLoader.getClassLoader(),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	// Closes the store once tracked work has finished, before any bean is destroyed; the
	// store's own close() is also its destroy method when the shutdown capability is off
	@Bean
	@ConditionalOnMissingBean(name = "stateStoreShutdownHook")
	ShutdownHook stateStoreShutdownHook(ObjectProvider<StateStore> stateStore, ClambakeStateProperties properties) {
		return ShutdownHook.of("state store", ShutdownHook.ORDER_STATE_STORE,
				properties.getShutdownTimeout().plusSeconds(1), () -> {
					if (stateStore.getIfAvailable() instanceof AutoCloseable closeable) {
						closeable.close();
					}
				});
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class StateMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StateStoreMetrics stateStoreMetrics(MeterRegistry registry) {
			return new StateStoreMetrics(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "clambake.state.documents.enabled", matchIfMissing = true)
		StateDocumentsGauge stateDocumentsGauge(ObjectProvider<StateStore> store, MeterRegistry registry,
				ClambakeStateProperties properties) {
			return new StateDocumentsGauge(store, registry, properties.getDocuments().getInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuditApplicationEvent.class)
	static class StateAuditEventsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StateAuditEventPublisher stateAuditEventPublisher(ApplicationEventPublisher publisher) {
			return new StateAuditEventPublisher(publisher);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
	static class StateServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StateStoreUnavailableExceptionHandler stateStoreUnavailableExceptionHandler(
				ClambakeStateProperties properties) {
			return new StateStoreUnavailableExceptionHandler(properties.getRetryAfter());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class StateReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveStateStoreUnavailableExceptionHandler reactiveStateStoreUnavailableExceptionHandler(
				ClambakeStateProperties properties) {
			return new ReactiveStateStoreUnavailableExceptionHandler(properties.getRetryAfter());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class StateHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stateStoreHealthIndicator")
		StateStoreHealthIndicator stateStoreHealthIndicator(StateStore stateStore) {
			return new StateStoreHealthIndicator(stateStore);
		}

		// A local critical component: joins the readiness group only while the store is on
		@Bean
		ClambakeReadinessMember stateStoreReadinessMember() {
			return new ClambakeReadinessMember("stateStore");
		}

	}

}
