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
	void endpointShowsAnAnonymousCallerStatusesAndFindingIdsOnly() throws Exception {
		Files.writeString(this.directory.resolve("application.yml"), """
				spring:
				  datasource:
				    password: hunter2-literal
				""");
		try (SampleAppProcess app = startWithAStateUrl().startAndAwaitReady()) {
			var response = app.get("/actuator/clambake");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"version\"")
				.contains("\"environment\":\"testing\"")
				.contains("\"name\":\"config\",\"active\":true")
				.contains("\"id\":\"secret-in-config-file\"")
				.contains("\"settings\":[]")
				.doesNotContain("db.internal", "5432", "orders", "postgres", "hunter2-literal", "pw-literal")
				.doesNotContain(this.directory.toString(), ".jar", "application.yml", "spring.datasource.password");
			assertThat(app.lines("ready: environment=testing")).singleElement()
				.satisfies((line) -> assertThat(line).contains("findings: risk secret-in-config-file"));
			assertThat(app.output()).doesNotContain("hunter2-literal", "pw-literal");
		}
	}

	@Test
	void endpointShowsSettingsAndFindingsWithSecretsMaskedWhenShowDetailsIsAlways() throws Exception {
		Files.writeString(this.directory.resolve("application.yml"), """
				spring:
				  datasource:
				    password: hunter2-literal
				""");
		try (SampleAppProcess app = startWithAStateUrl().arg("--clambake.report.show-details=always")
			.startAndAwaitReady()) {
			var response = app.get("/actuator/clambake");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body())
				.contains("\"name\":\"clambake.environment\",\"value\":\"testing\",\"source\":\"environment variable\"")
				.contains("\"name\":\"clambake.state.url\",\"value\":"
						+ "\"jdbc:postgresql://db.internal:5432/orders?user=postgres&password=******\"")
				.contains("\"id\":\"secret-in-config-file\"")
				.contains("spring.datasource.password")
				.doesNotContain("hunter2-literal", "pw-literal");
		}
	}

	private SampleAppProcess startWithAStateUrl() {
		return SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_ENVIRONMENT", "testing")
			.arg("--clambake.state.enabled=false")
			.arg("--clambake.state.url=jdbc:postgresql://db.internal:5432/orders?user=postgres&password=pw-literal");
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
