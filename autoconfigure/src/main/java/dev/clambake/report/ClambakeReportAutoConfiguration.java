package dev.clambake.report;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.ClambakeConfigAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for the production-readiness report: the start-up check and gate, and
 * the {@code clambake} actuator endpoint.
 */
@AutoConfiguration(after = ClambakeConfigAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "clambake.report.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeReportProperties.class)
public final class ClambakeReportAutoConfiguration {

	@Bean
	ClambakeCapability clambakeReportCapability() {
		return new ClambakeCapability("report");
	}

	@Bean
	@ConditionalOnMissingBean
	ProductionReadinessReporter productionReadinessReporter(ConfigurableApplicationContext context) {
		return new ProductionReadinessReporter(context);
	}

	@Bean
	@ConditionalOnMissingBean
	ProductionReadinessGate productionReadinessGate(ProductionReadinessReporter reporter,
			ClambakeReportProperties properties) {
		return new ProductionReadinessGate(reporter, properties.getFailOn());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		ClambakeEndpoint clambakeEndpoint(ProductionReadinessReporter reporter, ClambakeReportProperties properties) {
			return new ClambakeEndpoint(reporter, properties.getShowDetails(), properties.getRoles());
		}

	}

}
