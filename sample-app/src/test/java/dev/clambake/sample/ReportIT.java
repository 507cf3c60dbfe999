package dev.clambake.sample;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production-readiness report on the running sample app, and its start-up gate.
 */
class ReportIT {

	@TempDir
	Path directory;

	@Test
	void endpointReportsCapabilitiesSettingsAndFindingsWithoutSecrets() throws Exception {
		Files.writeString(this.directory.resolve("application.yml"), """
				spring:
				  datasource:
				    password: hunter2-literal
				""");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_ENVIRONMENT", "testing")
			.startAndAwaitReady()) {
			var response = app.get("/actuator/clambake");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"version\"")
				.contains("\"environment\":\"testing\"")
				.contains("\"name\":\"config\",\"active\":true")
				.contains("\"name\":\"clambake.environment\",\"value\":\"testing\",\"source\":\"environment variable\"")
				.contains("\"id\":\"secret-in-config-file\"")
				.contains("spring.datasource.password")
				.doesNotContain("hunter2-literal");
			assertThat(app.lines("ready: environment=testing")).singleElement()
				.satisfies((line) -> assertThat(line).contains("findings: risk secret-in-config-file"));
			assertThat(app.output()).doesNotContain("hunter2-literal");
		}
	}

	@Test
	void failOnRiskStopsStartUpListingTheFindings() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--clambake.report.fail-on=risk")
			.arg("--server.shutdown=immediate")
			.start()) {
			assertThat(app.awaitExit()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("[risk] graceful-shutdown-disabled")
				.contains("clambake.report.fail-on=never");
			assertThat(app.output()).doesNotContainPattern("(?m)^\\s+at [a-z]+\\.");
		}
	}

}
