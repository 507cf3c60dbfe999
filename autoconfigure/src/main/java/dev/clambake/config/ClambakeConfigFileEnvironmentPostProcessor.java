package dev.clambake.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Adds {@code clambake.toml} and then {@code .clambakerc} (both optional) from the working
 * directory, or from {@code clambake.config.location}, above the application's own
 * configuration files and below environment variables.
 */
public class ClambakeConfigFileEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Runs after Spring Boot has loaded {@code application.yml}, which may set the location.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	static final String TOML_FILE = "clambake.toml";

	static final String RC_FILE = ".clambakerc";

	private final Log logger;

	public ClambakeConfigFileEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ClambakeConfigFileEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources sources = environment.getPropertySources();
		// Lowest first: each goes directly below the environment variables, above the one before
		for (Path file : findFiles(environment)) {
			String name = "clambake config file [" + file + "]";
			if (sources.contains(name)) {
				continue;
			}
			PropertySource<?> source = TomlPropertySources.load(name, file);
			String systemEnvironment = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
			if (sources.contains(systemEnvironment)) {
				sources.addAfter(systemEnvironment, source);
			}
			else {
				sources.addFirst(source);
			}
			this.logger.debug("Added Clambake configuration file " + file.toAbsolutePath());
		}
	}

	/**
	 * Return the files to load, lowest precedence first.
	 */
	private List<Path> findFiles(ConfigurableEnvironment environment) {
		String location = environment.getProperty("clambake.config.location");
		if (location == null || location.isBlank()) {
			return existing(Path.of(TOML_FILE), Path.of(RC_FILE));
		}
		Path path = Path.of(location.trim());
		if (Files.isDirectory(path)) {
			return existing(path.resolve(TOML_FILE), path.resolve(RC_FILE));
		}
		if (Files.isRegularFile(path)) {
			return List.of(path);
		}
		throw new InvalidConfigFileException(path, "the path given by clambake.config.location does not exist",
				"Set clambake.config.location to a directory holding clambake.toml or .clambakerc, or to the path"
						+ " of one such file, or remove it to use the working directory.");
	}

	private static List<Path> existing(Path... candidates) {
		List<Path> files = new ArrayList<>();
		for (Path candidate : candidates) {
			if (Files.isRegularFile(candidate)) {
				files.add(candidate);
			}
		}
		return files;
	}

}
