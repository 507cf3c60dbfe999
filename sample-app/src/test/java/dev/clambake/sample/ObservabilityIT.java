package dev.clambake.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clambake.testsupport.OtlpReceiver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics, tracing and slow-operation detection seen from outside: the sample app jar as a
 * child process, scraped and checked with {@code promtool}, exporting to a real OTLP/HTTP
 * receiver on loopback.
 */
class ObservabilityIT {

	private static final Pattern TRACE_ID = Pattern.compile("traceId=([0-9a-f]{32})");

	@TempDir
	Path directory;

	@Test
	void scrapePassesPromtoolAndHasHistogramBucketsWithCommonTags() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--clambake.features.new-checkout=true")
			.startAndAwaitReady()) {
			assertThat(app.get("/api/hello").statusCode()).isEqualTo(200);
			String scrape = app.get("/actuator/prometheus").body();
			assertThat(scrape).containsPattern(
					"http_server_requests_seconds_bucket\\{application=\"clambake-sample\",environment=\"development\",[^}]*uri=\"/api/hello\",le=\"0\\.05\"}")
				.contains("le=\"2.5\"")
				.containsPattern(
						"clambake_feature_enabled\\{application=\"clambake-sample\",environment=\"development\",feature=\"new-checkout\"} 1");
			assertThat(promtool(scrape)).isEqualTo("");
		}
	}

	@Test
	void slowRequestLogsExactlyOneWarningAndCountsItWhileFastOnesDoNot() throws Exception {
		try (OtlpReceiver receiver = new OtlpReceiver();
				SampleAppProcess app = SampleAppProcess.in(this.directory)
					.arg("--management.tracing.sampling.probability=1.0")
					.arg("--management.opentelemetry.tracing.export.otlp.endpoint=" + receiver.endpoint())
					.arg("--management.opentelemetry.tracing.export.schedule-delay=100ms")
					.startAndAwaitReady()) {
			for (int i = 0; i < 5; i++) {
				assertThat(app.get("/api/hello").statusCode()).isEqualTo(200);
			}
			assertThat(app.get("/api/work?ms=1100").statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> output.contains("uri=/api/work"), Duration.ofSeconds(10));
			List<String> warnings = app.lines("Slow operation");
			assertThat(warnings).singleElement()
				.satisfies((line) -> assertThat(line).contains(" WARN ")
					.contains("clambake.slow-operations")
					.contains("Slow operation http.server.requests took")
					.containsPattern("took 1[0-9]{3} ms")
					.contains("uri=/api/work")
					.contains("method=GET")
					.contains("correlationId=")
					.containsPattern(TRACE_ID));
			assertThat(app.get("/actuator/prometheus").body()).containsPattern(
					"clambake_slow_operations_total\\{[^}]*operation=\"http.server.requests\"} 1\\.0");
			// The warning's trace id is the exported server span's
			Matcher traceId = TRACE_ID.matcher(warnings.get(0));
			assertThat(traceId.find()).isTrue();
			awaitSpan(receiver, "/api/work");
			assertThat(receiver.spans()).filteredOn((span) -> span.getName().contains("/api/work"))
				.singleElement()
				.satisfies((span) -> assertThat(OtlpReceiver.hex(span.getTraceId())).isEqualTo(traceId.group(1)));
		}
	}

	@Test
	void exemplarsSitOnHistogramBucketsAndNeverOnCountLines() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--management.tracing.sampling.probability=1.0")
			.startAndAwaitReady()) {
			app.get("/api/hello");
			app.get("/api/hello");
			String openMetrics = app
				.get("/actuator/prometheus", Map.of("Accept", "application/openmetrics-text; version=1.0.0"))
				.body();
			List<String> withExemplars = openMetrics.lines().filter((line) -> line.contains(" # {")).toList();
			assertThat(withExemplars).isNotEmpty()
				.anyMatch((line) -> line.startsWith("http_server_requests_seconds_bucket{")
						&& line.contains("uri=\"/api/hello\"") && line.matches(".* # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"[0-9a-f]{32}\"}.*"))
				.noneMatch((line) -> line.matches("^[a-z_]+_count\\{.*"));
		}
	}

	@Test
	void inboundTraceparentIsContinuedAndSamplingZeroExportsNothingElse() throws Exception {
		try (OtlpReceiver receiver = new OtlpReceiver();
				SampleAppProcess app = SampleAppProcess.in(this.directory)
					.arg("--management.tracing.sampling.probability=0")
					.arg("--management.opentelemetry.tracing.export.otlp.endpoint=" + receiver.endpoint())
					.arg("--management.opentelemetry.tracing.export.schedule-delay=100ms")
					.startAndAwaitReady()) {
			for (int i = 0; i < 20; i++) {
				app.get("/api/hello");
			}
			String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
			app.get("/api/hello", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
			Span span = awaitSpan(receiver, "/api/hello");
			assertThat(OtlpReceiver.hex(span.getTraceId())).isEqualTo(traceId);
			assertThat(OtlpReceiver.hex(span.getParentSpanId())).isEqualTo("00f067aa0ba902b7");
			// Exports are in order: the 20 unsampled requests, served before, sent nothing
			assertThat(receiver.spans()).hasSize(1);
		}
	}

	@Test
	void withoutAnEndpointNothingConnectsAndNothingComplains() throws Exception {
		OtlpReceiver defaultPort;
		try {
			defaultPort = new OtlpReceiver(new InetSocketAddress(4318));
		}
		catch (BindException ex) {
			Assumptions.abort("Port 4318 (OTLP's default) is taken on this machine; cannot watch it");
			return;
		}
		try (defaultPort;
				SampleAppProcess app = SampleAppProcess.in(this.directory)
					.arg("--management.tracing.sampling.probability=1.0")
					.arg("--management.otlp.metrics.export.step=1s")
					.arg("--management.opentelemetry.tracing.export.schedule-delay=100ms")
					.startAndAwaitReady()) {
			for (int i = 0; i < 5; i++) {
				app.get("/api/hello");
			}
			// Absence cannot be awaited: give the 1s metrics push and the 100ms span export
			// three times their period to happen, then check nothing arrived
			TimeUnit.SECONDS.sleep(3);
			assertThat(defaultPort.spans()).isEmpty();
			assertThat(defaultPort.otherRequests()).isZero();
			assertThat(app.output()).doesNotContain(" ERROR ").doesNotContain(" WARN ");
		}
	}

	@Test
	void withAMetricsUrlOtlpMetricsArePushed() throws Exception {
		try (OtlpReceiver receiver = new OtlpReceiver();
				SampleAppProcess app = SampleAppProcess.in(this.directory)
					.arg("--management.otlp.metrics.export.url=" + receiver.baseUrl() + "/v1/metrics")
					.arg("--management.otlp.metrics.export.step=1s")
					.startAndAwaitReady()) {
			app.get("/api/hello");
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (receiver.otherRequests() == 0) {
				assertThat(System.nanoTime()).as("OTLP metrics pushed").isLessThan(deadline);
				Thread.sleep(50);
			}
			assertThat(app.output()).doesNotContain(" ERROR ");
		}
	}

	@Test
	void aThousandUnknownUrisAddABoundedNumberOfSeries() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			app.get("/api/hello");
			app.get("/no/such/page");
			// Series with a uri tag: the batch job's store and lease operations add series of their own meanwhile
			int before = uriSeries(app.get("/actuator/prometheus").body());
			for (int i = 0; i < 1000; i++) {
				assertThat(app.get("/no/such/page-" + i + "?user=" + i).statusCode()).isEqualTo(404);
			}
			String after = app.get("/actuator/prometheus").body();
			assertThat(uriSeries(after) - before).isLessThan(20);
			assertThat(after).doesNotContain("page-1").doesNotContain("user=");
		}
	}

	private static int uriSeries(String scrape) {
		return (int) scrape.lines().filter((line) -> !line.startsWith("#") && line.contains("uri=\"")).count();
	}

	private static Span awaitSpan(OtlpReceiver receiver, String nameContains) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (true) {
			List<Span> spans = receiver.spans()
				.stream()
				.filter((span) -> span.getName().contains(nameContains))
				.toList();
			if (!spans.isEmpty()) {
				return spans.get(0);
			}
			assertThat(System.nanoTime()).as("span " + nameContains + " exported").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	/**
	 * Run {@code promtool check metrics} on the scrape and return its complaints.
	 */
	private static String promtool(String scrape) throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"promtool is missing: install Debian's 'prometheus' package (.ci/run does)", ex);
		}
		try (OutputStream in = process.getOutputStream()) {
			in.write(scrape.getBytes(StandardCharsets.UTF_8));
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output.trim();
	}

}
