package dev.clambake.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.support.SystemEnvironmentPropertySourceEnvironmentPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Builds the environment Spring Boot would: given environment variables, an
 * {@code application.yml} layer and a directory with Clambake's files, then Clambake's
 * post-processors in their order. {@code withPropertyValues} plays the command line.
 */
final class TestEnvironments {

	static final DeferredLogFactory LOGS = (destination) -> destination.get();

	private final Map<String, Object> variables = new LinkedHashMap<>();

	private final Map<String, Object> applicationProperties = new LinkedHashMap<>();

	private TestEnvironments() {
	}

	static TestEnvironments create() {
		return new TestEnvironments();
	}

	TestEnvironments env(String name, String value) {
		this.variables.put(name, value);
		return this;
	}

	TestEnvironments applicationProperty(String name, String value) {
		this.applicationProperties.put(name, value);
		return this;
	}

	TestEnvironments configDirectory(Path directory) {
		return applicationProperty("clambake.config.location", directory.toString());
	}

	ApplicationContextInitializer<ConfigurableApplicationContext> initializer() {
		return (context) -> apply(context.getEnvironment());
	}

	ConfigurableEnvironment build() {
		StandardEnvironment environment = new StandardEnvironment();
		apply(environment);
		return environment;
	}

	void apply(ConfigurableEnvironment environment) {
		var sources = environment.getPropertySources();
		sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, this.variables));
		sources.addLast(new MapPropertySource("Config resource 'application.yml'", this.applicationProperties));
		SpringApplication application = new SpringApplication();
		new SystemEnvironmentPropertySourceEnvironmentPostProcessor().postProcessEnvironment(environment, application);
		new ClambakeConfigFileEnvironmentPostProcessor(LOGS).postProcessEnvironment(environment, application);
		new ClambakeEnvironmentVariablesPostProcessor(LOGS).postProcessEnvironment(environment, application);
		new ClambakeDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, application);
	}

}
