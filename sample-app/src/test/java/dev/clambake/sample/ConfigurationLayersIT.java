package dev.clambake.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration layers, seen from outside: the sample app jar as a child process with
 * real environment variables, command-line arguments and files in its working directory.
 */
class ConfigurationLayersIT {

	@TempDir
	Path directory;

	@Test
	void withNothingConfiguredDefaultsExposeProbesAndPrometheus() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			assertThat(app.get("/api/hello").body()).isEqualTo("hello");
			assertThat(app.get("/actuator/prometheus").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/env").statusCode()).isEqualTo(404);
			assertThat(app.lines("ready: environment=development")).hasSize(1);
		}
	}

	@Test
	void eachLayerOverridesTheOneBelow() throws Exception {
		write("application.yml", """
				management:
				  endpoints:
				    web:
				      exposure:
				        include: health
				clambake:
				  environment: testing
				  features:
				    a: true
				    b: false
				    c: false
				    dark-mode: false
				    e: false
				""");
		write("clambake.toml", """
				[features]
				b = true
				c = false
				dark_mode = false
				e = false
				""");
		write(".clambakerc", """
				[features]
				c = true
				dark_mode = false
				e = false
				""");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_FEATURES_DARK_MODE", "true")
			.env("CLAMBAKE_FEATURES_E", "false")
			.arg("--clambake.features.e=true")
			.startAndAwaitReady()) {
			// application.yml beats Clambake's defaults
			assertThat(app.get("/actuator/prometheus").statusCode()).isEqualTo(404);
			assertThat(app.get("/actuator/health").statusCode()).isEqualTo(200);
			List<String> summary = app.lines("ready: environment=testing");
			assertThat(summary).hasSize(1);
			assertThat(summary.get(0)).containsPattern("a=on \\([^)]*application\\.yml")
				.containsPattern("b=on \\([^)]*clambake\\.toml\\] - 2:1\\)")
				.containsPattern("c=on \\([^)]*\\.clambakerc\\] - 2:1\\)")
				.containsPattern("dark-mode=on \\([^)]*CLAMBAKE_FEATURES_DARK_MODE")
				.containsPattern("e=on \\([^)]*commandLineArgs");
		}
	}

	@Test
	void unknownVariableLogsOneWarningNamingTheClosestVariable() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_ENVIROMENT", "staging-secret-value")
			.startAndAwaitReady()) {
			List<String> warnings = app.lines("CLAMBAKE_ENVIROMENT");
			assertThat(warnings).hasSize(1);
			assertThat(warnings.get(0)).contains("WARN")
				.contains("closest known variable: CLAMBAKE_ENVIRONMENT")
				.doesNotContain("staging-secret-value");
		}
	}

	@Test
	void unknownVariableStopsStartUpWhenStrict() throws Exception {
		write("clambake.toml", """
				[config]
				fail_on_unknown_env = true
				""");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_FEATUERS_NEW_CHECKOUT", "true")
			.start()) {
			assertThat(app.awaitExit()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("CLAMBAKE_FEATUERS_NEW_CHECKOUT matches no Clambake property")
				.contains("closest known variable: CLAMBAKE_FEATURES_NEW_CHECKOUT")
				.contains("clambake.config.fail-on-unknown-env");
			assertNoStackTrace(app);
		}
	}

	@Test
	void badEnvironmentVariableValueIsExplained() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).env("CLAMBAKE_ENVIRONMENT", "banana").start()) {
			assertThat(app.awaitExit()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("Property: clambake.environment")
				.contains("Value:    \"banana\"")
				.contains("Origin:   environment variable CLAMBAKE_ENVIRONMENT")
				.contains("one of development, testing, staging, production");
			assertNoStackTrace(app);
		}
	}

	@Test
	void badFileValueNamesTheFileAndLine() throws Exception {
		write("clambake.toml", """
				environment = "testing"
				[config]
				fail_on_unknown_env = "maybe"
				""");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).start()) {
			assertThat(app.awaitExit()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("Property: clambake.config.fail-on-unknown-env")
				.contains("Value:    \"maybe\"")
				.containsPattern("Origin: +file \\[[^]]*clambake\\.toml\\] - 3:1")
				.contains("true or false");
			assertNoStackTrace(app);
		}
	}

	@Test
	void badFileValueStopsStartUpEvenWithLazyInitialization() throws Exception {
		write("clambake.toml", """
				[config]
				fail_on_unknown_env = "maybe"
				""");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--spring.main.lazy-initialization=true")
			.start()) {
			assertThat(app.awaitExit()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("Property: clambake.config.fail-on-unknown-env")
				.contains("Value:    \"maybe\"");
			assertNoStackTrace(app);
		}
	}

	@Test
	void malformedTomlNamesTheFileAndLine() throws Exception {
		write("clambake.toml", """
				environment = "testing"

				[config
				""");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).start()) {
			assertThat(app.awaitExit()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.containsPattern("clambake\\.toml is invalid at line 3");
			assertNoStackTrace(app);
		}
	}

	private void assertNoStackTrace(SampleAppProcess app) {
		assertThat(app.output()).doesNotContainPattern("(?m)^\\s+at [a-z]+\\.");
	}

	private void write(String name, String content) throws IOException {
		Files.writeString(this.directory.resolve(name), content);
	}

}
