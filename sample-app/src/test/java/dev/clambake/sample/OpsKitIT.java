package dev.clambake.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops kit proven against the running sample app and a real Prometheus (Debian's
 * {@code prometheus} package, installed by {@code .ci/run}): every PromQL expression of the
 * dashboard and of the alert rules parses, every dashboard panel returns data, the rule files
 * pass {@code promtool}, and the scrape target stays up with tracing on at 100% sampling.
 */
class OpsKitIT {

	private static final Path OPS = Path.of(System.getProperty("ops.dir", "../ops")).toAbsolutePath().normalize();

	private static final Duration DATA_TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	Path directory;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void rulesPassPromtool() throws Exception {
		assertThat(run("promtool", "check", "rules", OPS.resolve("prometheus/clambake-alerts.yml").toString()))
			.contains("SUCCESS: 13 rules found");
		assertThat(run("promtool", "test", "rules", OPS.resolve("prometheus/clambake-alerts_test.yml").toString()))
			.contains("SUCCESS");
		assertThat(run("promtool", "check", "config", OPS.resolve("prometheus/prometheus.yml").toString()))
			.contains("is valid prometheus config file syntax");
	}

	@Test
	void everyDashboardPanelReturnsDataAndEveryRuleParsesAgainstTheRunningApp() throws Exception {
		int closedPort = freePort();
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.jvmArg("-Xmx128m")
			.jvmArg("-Xms16m")
			.arg("--management.tracing.sampling.probability=1.0")
			.arg("--clambake.features.new-checkout=true")
			// One state store series, so the second operation overflows: the overflow panel gets data
			.arg("--clambake.metrics.cardinality.max-series-by-meter.clambake.state.operations=1")
			.arg("--clambake.state.documents.interval=2s")
			.arg("--sample.upstream.url=http://127.0.0.1:" + closedPort + "/")
			.startAndAwaitReady(); Prometheus prometheus = Prometheus.start(this.directory.resolve("prometheus"), app.port())) {
			drive(app);
			for (Map.Entry<String, String> panel : dashboardQueries().entrySet()) {
				List<Object> result = awaitData(prometheus, panel.getValue());
				assertThat(result).as("panel '%s': %s", panel.getKey(), panel.getValue()).isNotEmpty();
			}
			for (String rule : ruleExpressions()) {
				assertThat(prometheus.query(rule)).as(rule).containsEntry("status", "success");
			}
			// With tracing on, the OpenMetrics scrape carries exemplars; Prometheus 2.42 drops a
			// whole scrape it cannot parse, so the target must never have been down
			assertThat(prometheus.vector("min_over_time(up{job=\"clambake-sample\"}[5m])"))
				.singleElement()
				.satisfies((sample) -> assertThat(value(sample)).isEqualTo("1"));
		}
	}

	private void drive(SampleAppProcess app) throws Exception {
		for (int i = 0; i < 20; i++) {
			app.get("/api/hello");
			app.get("/api/work?ms=-1");
		}
		app.get("/api/work?ms=1200");
		app.get("/api/upstream");
		app.get("/api/upstream");
		HttpResponse<String> created = app.send("POST", "/api/tasks", "{\"title\":\"ops kit\"}",
				"Content-Type", "application/json");
		assertThat(created.statusCode()).isEqualTo(201);
		app.get(created.headers().firstValue("Location").map(URI::create).map(URI::getPath).orElseThrow());
	}

	private List<Object> awaitData(Prometheus prometheus, String query) throws Exception {
		Instant deadline = Instant.now().plus(DATA_TIMEOUT);
		List<Object> result = prometheus.vector(query);
		while (result.isEmpty() && Instant.now().isBefore(deadline)) {
			Thread.sleep(1000);
			result = prometheus.vector(query);
		}
		return result;
	}

	/**
	 * Every panel's expressions, with the dashboard's variables filled in as Grafana would.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, String> dashboardQueries() throws IOException {
		Map<String, Object> dashboard = JsonParserFactory.getJsonParser()
			.parseMap(Files.readString(OPS.resolve("grafana/clambake-dashboard.json")));
		List<Map<String, Object>> variables = (List<Map<String, Object>>) ((Map<String, Object>) dashboard
			.get("templating")).get("list");
		assertThat(variables).extracting((variable) -> variable.get("name")).contains("datasource", "application");
		Map<String, String> queries = new LinkedHashMap<>();
		for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
			List<Map<String, Object>> targets = (List<Map<String, Object>>) panel.get("targets");
			if (targets == null) {
				continue;
			}
			for (Map<String, Object> target : targets) {
				String expr = ((String) target.get("expr")).replace("$application", "clambake-sample")
					.replace("$__rate_interval", "30s");
				queries.put(panel.get("title") + " " + target.get("refId"), expr);
			}
		}
		assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
		return queries;
	}

	@SuppressWarnings("unchecked")
	private static List<String> ruleExpressions() throws IOException {
		Map<String, Object> rules = new Yaml().load(Files.readString(OPS.resolve("prometheus/clambake-alerts.yml")));
		List<String> expressions = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				expressions.add((String) rule.get("expr"));
			}
		}
		assertThat(expressions).hasSize(13);
		return expressions;
	}

	@SuppressWarnings("unchecked")
	private static String value(Object sample) {
		return String.valueOf(((List<Object>) ((Map<String, Object>) sample).get("value")).get(1));
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A real Prometheus on loopback scraping the app every second, with the alert rules loaded.
	 */
	private static final class Prometheus implements AutoCloseable {

		private final Process process;

		private final int port;

		private final HttpClient http = HttpClient.newHttpClient();

		private Prometheus(Process process, int port) {
			this.process = process;
			this.port = port;
		}

		static Prometheus start(Path directory, int appPort) throws Exception {
			Files.createDirectories(directory);
			Files.copy(OPS.resolve("prometheus/clambake-alerts.yml"), directory.resolve("clambake-alerts.yml"));
			Files.writeString(directory.resolve("prometheus.yml"), """
					global:
					  scrape_interval: 1s
					  evaluation_interval: 1s
					rule_files:
					  - clambake-alerts.yml
					scrape_configs:
					  - job_name: clambake-sample
					    metrics_path: /actuator/prometheus
					    static_configs:
					      - targets: ["127.0.0.1:%d"]
					""".formatted(appPort));
			int port = freePort();
			Process process = new ProcessBuilder("prometheus", "--config.file=" + directory.resolve("prometheus.yml"),
					"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("prometheus.log").toFile())
				.start();
			Prometheus prometheus = new Prometheus(process, port);
			prometheus.awaitReady(directory.resolve("prometheus.log"));
			return prometheus;
		}

		private void awaitReady(Path log) throws Exception {
			Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
			while (Instant.now().isBefore(deadline)) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("Prometheus exited:\n" + Files.readString(log));
				}
				try {
					HttpResponse<String> ready = this.http.send(
							HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/-/ready")).build(),
							HttpResponse.BodyHandlers.ofString());
					if (ready.statusCode() == 200) {
						return;
					}
				}
				catch (IOException ex) {
					// Not listening yet
				}
				Thread.sleep(200);
			}
			throw new IllegalStateException("Prometheus did not become ready:\n" + Files.readString(log));
		}

		Map<String, Object> query(String promql) throws Exception {
			URI uri = URI.create("http://127.0.0.1:" + this.port + "/api/v1/query?query="
					+ URLEncoder.encode(promql, StandardCharsets.UTF_8));
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri).build(),
					HttpResponse.BodyHandlers.ofString());
			return JsonParserFactory.getJsonParser().parseMap(response.body());
		}

		@SuppressWarnings("unchecked")
		List<Object> vector(String promql) throws Exception {
			Map<String, Object> response = query(promql);
			assertThat(response).as(promql).containsEntry("status", "success");
			return (List<Object>) ((Map<String, Object>) response.get("data")).get("result");
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}

	}

}
