package dev.clambake.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.clambake.config.ClambakeEnvironment;

/**
 * Chooses the console log format before logging is initialised: adds Spring Boot's structured
 * logging properties at the lowest precedence, so the application's own logging properties
 * still win. Spring Boot's {@code LoggingApplicationListener} reads them once every
 * environment post-processor has run.
 */
public class ClambakeLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source.
	 */
	public static final String NAME = "clambakeLoggingDefaults";

	/**
	 * The structured format used for JSON lines: Spring Boot's Logstash format, with the MDC
	 * (correlationId, traceId, spanId) as top-level fields and the exception as one field.
	 */
	public static final String JSON_FORMAT = "logstash";

	@Override
	public int getOrder() {
		// After application.yml, clambake.toml, .clambakerc, which may set the environment
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		if (!binder.bind(ClambakeLoggingProperties.PREFIX + ".enabled", Boolean.class).orElse(true)
				|| environment.getPropertySources().contains(NAME)) {
			return;
		}
		ClambakeEnvironment where = orDefault(() -> ClambakeEnvironment.of(environment),
				ClambakeEnvironment.DEVELOPMENT);
		Map<String, Object> properties = new LinkedHashMap<>();
		if (isJson(binder, where, environment)) {
			properties.put("logging.structured.format.console", JSON_FORMAT);
			// The banner is not a log line; it would be the one line that is not JSON
			properties.put("spring.main.banner-mode", "off");
		}
		String service = environment.getProperty("spring.application.name");
		if (service != null && !service.isBlank()) {
			properties.put("logging.structured.json.add.service_name", service);
		}
		properties.put("logging.structured.json.add.environment", where.value());
		properties.put("logging.structured.ecs.service.environment", where.value());
		environment.getPropertySources().addLast(new MapPropertySource(NAME, properties));
	}

	private boolean isJson(Binder binder, ClambakeEnvironment where, ConfigurableEnvironment environment) {
		LogFormat format = orDefault(
				() -> binder.bind(ClambakeLoggingProperties.PREFIX + ".format", LogFormat.class).orElse(LogFormat.AUTO),
				LogFormat.AUTO);
		return switch (format) {
			case JSON -> true;
			case TEXT -> false;
			case AUTO -> where.isDeployed() || CloudPlatform.KUBERNETES.isActive(environment);
		};
	}

	private static <T> T orDefault(Supplier<T> bound, T defaultValue) {
		try {
			return bound.get();
		}
		catch (RuntimeException ex) {
			// An invalid value stops start-up later, explained by the property failure analysis
			return defaultValue;
		}
	}

}
