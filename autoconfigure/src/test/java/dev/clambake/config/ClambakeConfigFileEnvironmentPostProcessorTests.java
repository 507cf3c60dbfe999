package dev.clambake.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class ClambakeConfigFileEnvironmentPostProcessorTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(ClambakeConfigAutoConfiguration.class);

	@Test
	void tomlKeysAndSectionsMapToClambakeProperties() throws IOException {
		write("clambake.toml", """
				environment = "staging"

				[config]
				fail_on_unknown_env = true

				[features]
				new_checkout = true
				""");
		this.runner.withInitializer(TestEnvironments.create().configDirectory(this.directory).initializer())
			.run((context) -> {
				ClambakeProperties properties = context.getBean(ClambakeProperties.class);
				assertThat(properties.getEnvironment()).isEqualTo(ClambakeEnvironment.STAGING);
				assertThat(context.getBean(ClambakeConfigProperties.class).isFailOnUnknownEnv()).isTrue();
				assertThat(context.getBean(FeatureFlags.class).isEnabled("new-checkout")).isTrue();
			});
	}

	@Test
	void tomlArraysAndNestedTablesBecomeIndexedProperties() throws IOException {
		write("clambake.toml", """
				[metrics]
				slo = ["50ms", "100ms"]

				[[http.routes]]
				path_prefix = "/a"
				""");
		ConfigurableEnvironment environment = TestEnvironments.create().configDirectory(this.directory).build();
		assertThat(environment.getProperty("clambake.metrics.slo[0]")).isEqualTo("50ms");
		assertThat(environment.getProperty("clambake.metrics.slo[1]")).isEqualTo("100ms");
		assertThat(environment.getProperty("clambake.http.routes[0].path-prefix")).isEqualTo("/a");
	}

	@Test
	void valuesRememberTheirFileAndLine() throws IOException {
		Path file = write("clambake.toml", """
				# a comment

				environment = "staging"
				""");
		ConfigurableEnvironment environment = TestEnvironments.create().configDirectory(this.directory).build();
		assertThat(environment.getProperty("clambake.environment")).isEqualTo("staging");
		assertThat(originOf(environment, "clambake.environment")).contains(file.toString()).endsWith(" - 3:1");
	}

	@Test
	void precedenceIsDefaultsThenApplicationThenTomlThenRcThenEnvironmentThenCommandLine() throws IOException {
		write("clambake.toml", """
				[features]
				b = true
				c = false
				d = true
				e = false
				""");
		write(".clambakerc", """
				[features]
				c = true
				d = false
				e = true
				""");
		TestEnvironments environments = TestEnvironments.create()
			.configDirectory(this.directory)
			.applicationProperty("clambake.features.a", "true")
			.applicationProperty("clambake.features.b", "false")
			.applicationProperty("clambake.features.c", "false")
			.applicationProperty("clambake.features.d", "false")
			.applicationProperty("clambake.features.e", "false")
			.env("CLAMBAKE_FEATURES_D", "true")
			.env("CLAMBAKE_FEATURES_E", "false");
		this.runner.withInitializer(environments.initializer())
			.withPropertyValues("clambake.features.e=true")
			.run((context) -> {
				FeatureFlags flags = context.getBean(FeatureFlags.class);
				assertThat(flags.list()).extracting(FeatureFlag::name, FeatureFlag::enabled)
					.containsExactly(tuple("a", true),
							tuple("b", true),
							tuple("c", true),
							tuple("d", true),
							tuple("e", true));
				assertThat(flags.list()).extracting(FeatureFlag::origin)
					.satisfiesExactly((a) -> assertThat(a).contains("application.yml"),
							(b) -> assertThat(b).contains("clambake.toml"),
							(c) -> assertThat(c).contains(".clambakerc"),
							(d) -> assertThat(d).contains("CLAMBAKE_FEATURES_D"),
							(e) -> assertThat(e).contains("test"));
			});
	}

	@Test
	void workingDirectoryIsUsedWhenNoLocationIsSet() {
		// The build's working directory holds no clambake.toml: nothing is added
		ConfigurableEnvironment environment = TestEnvironments.create().build();
		assertThat(environment.getPropertySources().stream().map((source) -> source.getName()))
			.noneMatch((name) -> name.startsWith("clambake config file"));
	}

	@Test
	void locationMayNameOneFile() throws IOException {
		Path file = write("service.toml", "environment = \"production\"\n");
		ConfigurableEnvironment environment = TestEnvironments.create()
			.applicationProperty("clambake.config.location", file.toString())
			.build();
		assertThat(environment.getProperty("clambake.environment")).isEqualTo("production");
	}

	@Test
	void missingLocationFailsNamingThePath() {
		Path missing = this.directory.resolve("nowhere");
		assertThatExceptionOfType(InvalidConfigFileException.class)
			.isThrownBy(() -> TestEnvironments.create().configDirectory(missing).build())
			.withMessageContaining(missing.toString())
			.withMessageContaining("does not exist");
	}

	@Test
	void malformedTomlFailsNamingFileAndLine() throws IOException {
		Path file = write("clambake.toml", """
				environment = "staging"

				[config
				fail_on_unknown_env = true
				""");
		assertThatExceptionOfType(InvalidConfigFileException.class)
			.isThrownBy(() -> TestEnvironments.create().configDirectory(this.directory).build())
			.satisfies((ex) -> {
				assertThat(ex.getFile()).isEqualTo(file);
				assertThat(ex.getLine()).isEqualTo(3);
				assertThat(ex.getDescription()).contains(file.toAbsolutePath().toString())
					.contains("line 3");
				assertThat(ex.getAction()).contains("TOML");
			});
	}

	private String originOf(ConfigurableEnvironment environment, String name) {
		for (var source : ConfigurationPropertySources.get(environment)) {
			var property = source.getConfigurationProperty(ConfigurationPropertyName.of(name));
			if (property != null) {
				return String.valueOf(property.getOrigin());
			}
		}
		return "";
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.directory.resolve(name), content);
	}

}
