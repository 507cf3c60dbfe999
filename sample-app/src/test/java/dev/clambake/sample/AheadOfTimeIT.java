package dev.clambake.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app started with {@code -Dspring.aot.enabled=true}: its beans, Clambake's among
 * them, are registered by the code Spring Boot's Maven plugin generated at build time
 * ({@code process-aot} in this module's build) instead of by configuration classes. Spring Boot
 * refuses to start in that mode without the generated code, so a start proves it was used.
 * Conditions were decided at build time; properties still bind at start-up.
 */
class AheadOfTimeIT {

	@TempDir
	Path directory;

	@Test
	void everyCapabilityWorksFromGeneratedBeanDefinitions() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.jvmArg("-Dspring.aot.enabled=true")
			.arg("--clambake.observability.slow-threshold=200ms")
			.startAndAwaitReady()) {
			HttpResponse<String> upstream = app.get("/api/upstream", Map.of("X-Correlation-ID", "aot-1"));
			assertThat(upstream.statusCode()).isEqualTo(200);
			assertThat(upstream.headers().firstValue("X-Correlation-ID")).hasValue("aot-1");

			assertThat(app.send("POST", "/api/tasks", "{\"id\":\"a-1\",\"title\":\"generated\"}", "X-Actor", "alice")
				.statusCode()).isEqualTo(201);
			assertThat(app.get("/api/tasks/a-1").body()).contains("\"title\":\"generated\"");
			List<Object> audit = JsonParserFactory.getJsonParser().parseList(app.get("/api/tasks/a-1/audit").body());
			assertThat(audit).singleElement().isInstanceOfSatisfying(Map.class, (row) -> {
				assertThat(row.get("action")).isEqualTo("CREATED");
				assertThat(row.get("actor")).isEqualTo("alice");
			});

			// A first request can be slow too while the JVM warms up: only /api/work's report counts here
			assertThat(app.get("/api/work?ms=300").statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> output.contains("uri=/api/work"), Duration.ofSeconds(10));
			assertThat(app.lines("Slow operation http.server.requests"))
				.filteredOn((line) -> line.contains("uri=/api/work"))
				.singleElement()
				.satisfies((line) -> assertThat(line).contains(" WARN ").contains("correlationId="));

			HttpResponse<String> readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(readiness.body()).contains("\"stateStore\"");
			assertThat(app.get("/actuator/prometheus").body()).containsPattern(
					"http_server_requests_seconds_bucket\\{application=\"clambake-sample\",environment=\"development\",[^}]*uri=\"/api/upstream\",le=\"0\\.05\"}")
				.containsPattern("http_client_requests_seconds_bucket\\{[^}]*client=\"upstream\"")
				.containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"upstream\"[^}]*state=\"closed\"[^}]*} 1")
				.containsPattern("clambake_slow_operations_total\\{[^}]*operation=\"http.server.requests\"} [1-9]")
				.containsPattern("clambake_state_operations_total\\{[^}]*operation=\"create\",outcome=\"success\"");
			assertThat(app.lines(" ERROR ")).isEmpty();
		}
	}

}
