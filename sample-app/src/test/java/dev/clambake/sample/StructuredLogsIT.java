package dev.clambake.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console format chosen from where the service runs, and the optional log files, seen
 * from outside the sample app jar.
 */
class StructuredLogsIT {

	@TempDir
	Path directory;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void stagingLogsJsonLinesAndWritesTheFiles() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_ENVIRONMENT", "staging")
			.arg("--clambake.logging.file.dir=logs")
			.startAndAwaitReady()) {
			assertThat(get(app, "logs-1").statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> output.contains("UpstreamAudit"), Duration.ofSeconds(30));
			// A slow request: its slow-operation WARN is one JSON line, in the console and the performance log
			assertThat(app.get("/api/work?ms=1100", java.util.Map.of("X-Correlation-ID", "logs-slow")).statusCode())
				.isEqualTo(200);
			// On a busy machine the upstream call may be slow too: wait for, and look at, this request's line
			app.awaitOutput((output) -> output.lines()
				.anyMatch((line) -> line.contains("Slow operation http.server.requests") && line.contains("logs-slow")),
					Duration.ofSeconds(30));
			List<String> lines = app.output().lines().filter((line) -> !line.isBlank()).toList();
			for (String line : lines) {
				assertThat(json(line)).as(line)
					.containsKeys("@timestamp", "level", "logger_name", "thread_name", "message")
					.containsEntry("service_name", "clambake-sample")
					.containsEntry("environment", "staging");
			}
			assertThat(lines.stream().map(StructuredLogsIT::json))
				.filteredOn((json) -> String.valueOf(json.get("logger_name")).endsWith("UpstreamAudit"))
				.singleElement()
				.satisfies((json) -> assertThat(json).containsEntry("correlationId", "logs-1"));
			Path logs = this.directory.resolve("logs");
			assertThat(logs.resolve("application.log")).exists();
			assertThat(logs.resolve("errors.log")).exists();
			assertThat(logs.resolve("performance.log")).exists();
			assertThat(Files.readString(logs.resolve("application.log"))).contains("\"correlationId\":\"logs-1\"");
			assertThat(lines.stream().map(StructuredLogsIT::json))
				.filteredOn((json) -> String.valueOf(json.get("message")).startsWith("Slow operation http.server.requests"))
				.filteredOn((json) -> "logs-slow".equals(json.get("correlationId")))
				.singleElement()
				.satisfies((json) -> assertThat(json).containsEntry("operation", "http.server.requests")
					.containsKey("traceId"));
			assertThat(Files.readString(logs.resolve("performance.log"))).contains("\"correlationId\":\"logs-slow\"");
		}
	}

	@Test
	void developmentLogsHumanReadableLinesWithTheIdAndNoFiles() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			assertThat(get(app, "text-1").statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> output.contains("UpstreamAudit"), Duration.ofSeconds(30));
			assertThat(app.lines("Calling upstream")).singleElement().asString().contains("[text-1] ");
			assertThat(app.lines("Started SampleApplication")).singleElement()
				.asString()
				.doesNotStartWith("{")
				.doesNotContain("[] ");
		}
		try (var files = Files.list(this.directory)) {
			// Only the test's own capture of the console; data/ is the state store's SQLite file
			assertThat(files.map((file) -> file.getFileName().toString()).filter((name) -> !name.equals("data")))
				.containsExactly("app.log");
		}
	}

	private HttpResponse<String> get(SampleAppProcess app, String id) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/upstream"))
			.header("X-Correlation-ID", id)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static Map<String, Object> json(String line) {
		return JsonParserFactory.getJsonParser().parseMap(line);
	}

}
