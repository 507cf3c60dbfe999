package dev.clambake.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds Clambake's opinions as the lowest-precedence property source, {@value #NAME}, so every
 * one is visible in the environment and overridden by any other source.
 */
public class ClambakeDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source holding Clambake's defaults.
	 */
	public static final String NAME = "clambakeDefaults";

	private static final String RESOURCE = "dev/clambake/config/clambake-defaults.properties";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(NAME)) {
			environment.getPropertySources().addLast(load());
		}
	}

	static PropertySource<?> load() {
		try {
			return new PropertiesPropertySourceLoader().load(NAME, new ClassPathResource(RESOURCE)).get(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Clambake could not read its defaults from " + RESOURCE, ex);
		}
	}

}
