package dev.clambake.correlation;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds, at the lowest precedence, the Spring Boot properties correlation relies on, unless
 * {@code clambake.correlation.enabled=false}: Reactor's automatic context propagation (so the
 * MDC holds the id in every WebFlux operator) and the id in the human-readable log pattern.
 */
public class ClambakeCorrelationEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source.
	 */
	public static final String NAME = "clambakeCorrelationDefaults";

	/**
	 * The human-readable log pattern's correlation part: {@code [id] } inside a request, then
	 * {@code [traceId-spanId] } (Spring Boot's form) when a span is current; nothing outside them.
	 */
	public static final String LOG_PATTERN = "%replace([%X{correlationId}] ){'^\\[\\] $', ''}"
			+ "%replace([%X{traceId}-%X{spanId}] ){'^\\[-\\] $', ''}";

	@Override
	public int getOrder() {
		// After the configuration files and clambake.toml that may switch correlation off
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("clambake.correlation.enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(NAME)) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.reactor.context-propagation", "auto");
		// Boot's console and file patterns include this; it prints nothing outside a request
		properties.put("logging.pattern.correlation", LOG_PATTERN);
		environment.getPropertySources().addLast(new MapPropertySource(NAME, properties));
	}

}
