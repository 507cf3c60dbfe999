package dev.clambake.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Marker secrets planted in every source the sample app reads (an environment variable, the
 * command line, a system property, {@code clambake.toml}, an extra {@code application.yml},
 * and URLs with a password in their user information or parameters) appear in no response
 * of any exposed actuator endpoint, of {@code /api/upstream}, nor in the log, even with
 * {@code env} and {@code configprops} showing values.
 */
class SecretsIT {

	private static final Pattern LINK = Pattern.compile("\"href\":\"http://127\\.0\\.0\\.1:\\d+(/actuator/[^\"{}]+)\"");

	@TempDir
	Path directory;

	@Test
	void noMarkerSecretAppearsInAnyResponseOrLogLine() throws Exception {
		Files.writeString(this.directory.resolve("clambake.toml"), """
				[sample]
				api_token = "marker-toml-4d1"
				""");
		Path extra = Files.writeString(this.directory.resolve("secrets.yml"), """
				sample:
				  client-secret: marker-yml-7c2
				  legacy-url: "jdbc:sqlserver://db.internal;user=app;password=marker-semicolon-2b9;encrypt=true"
				""");
		List<String> markers = List.of("marker-env-9f3", "marker-arg-5e8", "marker-sysprop-3a7", "marker-toml-4d1",
				"marker-yml-7c2", "marker-userinfo-6d5", "marker-query-8b1", "marker-semicolon-2b9");
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("SAMPLE_API_TOKEN", "marker-env-9f3")
			.jvmArg("-Dsample.signing-key=marker-sysprop-3a7")
			.arg("--sample.api-token=marker-arg-5e8")
			.arg("--sample.upstream.url=http://user:marker-userinfo-6d5@127.0.0.1:1/")
			.arg("--sample.reports-url=https://reports.internal/upload?password=marker-query-8b1&format=json")
			.arg("--spring.config.additional-location=file:" + extra)
			.arg("--management.endpoints.web.exposure.include=*")
			.arg("--management.endpoint.env.show-values=always")
			.arg("--management.endpoint.configprops.show-values=always")
			.arg("--management.endpoint.health.show-details=always")
			.arg("--clambake.report.show-details=always")
			.startAndAwaitReady()) {
			Map<String, String> bodies = new LinkedHashMap<>();
			bodies.put("/api/upstream", app.get("/api/upstream").body());
			for (String path : endpoints(app)) {
				HttpResponse<String> response = app.get(path);
				bodies.put(path, response.statusCode() + " " + response.body());
			}
			// The planted values reached the application, so their absence below means masked
			assertThat(bodies.get("/actuator/env")).contains("SAMPLE_API_TOKEN", "sample.api-token", "sample.signing-key",
					"clambake.sample.api-token", "sample.client-secret", "sample.legacy-url", "sun.java.command",
					"http://user:******@127.0.0.1:1/", "password=******&format=json", "password=******;encrypt=true");
			assertThat(bodies.get("/actuator/configprops")).contains("http://user:******@127.0.0.1:1/");
			assertThat(bodies.keySet()).contains("/actuator/health", "/actuator/clambake", "/actuator/configprops");
			app.awaitOutput((output) -> output.contains("Upstream http://user:******@127.0.0.1:1/ failed"),
					java.time.Duration.ofSeconds(30));
			List<String> leaks = new ArrayList<>();
			bodies.forEach((path, body) -> markers.stream()
				.filter(body::contains)
				.forEach((marker) -> leaks.add(path + " shows " + marker)));
			String log = app.output();
			markers.stream().filter(log::contains).forEach((marker) -> leaks.add("the log shows " + marker));
			assertThat(leaks).isEmpty();
		}
	}

	private static List<String> endpoints(SampleAppProcess app) throws Exception {
		List<String> paths = new ArrayList<>();
		Matcher matcher = LINK.matcher(app.get("/actuator").body());
		while (matcher.find()) {
			String path = matcher.group(1);
			// The heap dump is binary and large; it is not a text a secret could be read from
			if (!path.equals("/actuator/heapdump") && !path.equals("/actuator/shutdown") && !paths.contains(path)) {
				paths.add(path);
			}
		}
		return paths;
	}

}
