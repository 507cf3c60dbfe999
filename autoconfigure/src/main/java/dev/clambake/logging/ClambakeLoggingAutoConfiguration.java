package dev.clambake.logging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.clambake.config.ClambakeCapability;

/**
 * Auto-configuration for the logging capability. The work happens before the context exists
 * ({@link ClambakeLoggingEnvironmentPostProcessor} chooses the format,
 * {@link ClambakeLogFilesListener} adds the files); this binds and validates the properties
 * and reports the capability.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration")
@Import(OtlpLogsConfiguration.class)
@ConditionalOnBooleanProperty(name = "clambake.logging.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeLoggingProperties.class)
public final class ClambakeLoggingAutoConfiguration {

	@Bean
	ClambakeCapability clambakeLoggingCapability() {
		return new ClambakeCapability("logging");
	}

}
