package dev.clambake.tracing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.clambake.testsupport.OtlpReceiver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces end to end: a real web server, a Boot-built {@code RestClient}, the real OTLP/HTTP
 * exporter and a receiver on loopback that decodes the protobuf export requests.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClambakeTracingOtlpTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private OtlpReceiver receiver;

	@BeforeEach
	void startReceiver() throws IOException {
		this.receiver = new OtlpReceiver();
	}

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.receiver.close();
	}

	@Test
	void upstreamCallExportsServerAndClientSpansOfOneTraceWithTheIdTheLogLinesCarry(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext context = run("management.tracing.sampling.probability=1.0");
		assertThat(get(context, "/api/upstream", Map.of()).body()).isEqualTo("upstream: hello");
		flush(context, 3);
		List<Span> spans = this.receiver.awaitSpans(3, Duration.ofSeconds(30));
		assertThat(this.receiver.contentTypes()).allMatch((type) -> type.startsWith("application/x-protobuf"));
		Span upstream = only(spans, Span.SpanKind.SPAN_KIND_SERVER, "/api/upstream");
		Span client = only(spans, Span.SpanKind.SPAN_KIND_CLIENT, "");
		Span hello = only(spans, Span.SpanKind.SPAN_KIND_SERVER, "/api/hello");
		String traceId = OtlpReceiver.hex(upstream.getTraceId());
		assertThat(upstream.getParentSpanId().isEmpty()).isTrue();
		assertThat(client.getTraceId()).isEqualTo(upstream.getTraceId());
		assertThat(client.getParentSpanId()).isEqualTo(upstream.getSpanId());
		assertThat(hello.getTraceId()).isEqualTo(upstream.getTraceId());
		assertThat(hello.getParentSpanId()).isEqualTo(client.getSpanId());
		assertThat(line(output, "upstream called")).contains(traceId).contains(OtlpReceiver.hex(upstream.getSpanId()));
		assertThat(line(output, "hello called")).contains(traceId);
	}

	@Test
	void inboundTraceparentIsContinuedEvenWhenNewTracesAreNotSampled() throws Exception {
		ConfigurableApplicationContext context = run("management.tracing.sampling.probability=0");
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		String parentId = "00f067aa0ba902b7";
		get(context, "/api/hello", Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01"));
		flush(context, 1);
		List<Span> spans = this.receiver.awaitSpans(1, Duration.ofSeconds(30));
		assertThat(spans).hasSize(1);
		assertThat(OtlpReceiver.hex(spans.get(0).getTraceId())).isEqualTo(traceId);
		assertThat(OtlpReceiver.hex(spans.get(0).getParentSpanId())).isEqualTo(parentId);
	}

	@Test
	void withSamplingZeroUnsampledRequestsExportNothingButLogLinesStillCarryATraceId(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = run("management.tracing.sampling.probability=0");
		for (int i = 0; i < 10; i++) {
			get(context, "/api/upstream", Map.of());
		}
		// A sampled request after them: once it is exported, any earlier sampled span would be too
		get(context, "/api/hello", Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
		flush(context, 1);
		assertThat(this.receiver.awaitSpans(1, Duration.ofSeconds(30))).hasSize(1);
		assertThat(context.getBean(TracingTestApplication.EndedSpans.class).count).hasValue(1);
		assertThat(output.getOut().lines().filter((line) -> line.contains("upstream called")).toList()).hasSize(10)
			.allMatch((line) -> line.matches(".*\\[[0-9a-f]{32}-[0-9a-f]{16}\\].*"));
	}

	@Test
	void buffersSpansAreFlushedWhenTheApplicationShutsDown() throws Exception {
		ConfigurableApplicationContext context = run("management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=1h");
		get(context, "/api/hello", Map.of());
		awaitEndedSpans(context, 1);
		assertThat(this.receiver.spans()).isEmpty();
		context.close();
		assertThat(this.receiver.awaitSpans(1, Duration.ofSeconds(5))).hasSize(1);
	}

	@Test
	void logSpansPrintsFinishedSpans(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = run("management.tracing.sampling.probability=1.0",
				"clambake.tracing.log-spans=true");
		get(context, "/api/hello", Map.of());
		flush(context, 1);
		String traceId = OtlpReceiver.hex(this.receiver.awaitSpans(1, Duration.ofSeconds(30)).get(0).getTraceId());
		assertThat(line(output, "Span 'http get /api/hello'")).contains("clambake.spans")
			.contains("kind=SERVER")
			.contains("traceId=" + traceId);
	}

	@Test
	void withoutAnEndpointNothingExportsAndNothingComplains(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TracingTestApplication.class)
			.run("--server.port=0", "--spring.main.banner-mode=off", "--management.tracing.sampling.probability=1.0");
		this.contexts.add(context);
		get(context, "/api/hello", Map.of());
		awaitEndedSpans(context, 1);
		assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
			.isTrue();
		assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
		assertThat(context.getBeansOfType(OtlpHttpSpanExporter.class)).isEmpty();
		assertThat(context.getBeansOfType(MeterRegistry.class).values())
			.noneMatch((registry) -> registry.getClass().getName().contains("Otlp"));
		assertThat(context.getEnvironment().getProperty("management.otlp.metrics.export.enabled")).isEqualTo("false");
		// The build's own CLAMBAKE_TEST_* variables draw the configuration capability's warning
		assertThat((output.getOut() + output.getErr()).lines()
			.filter((line) -> !line.contains("matches no Clambake property")))
			.noneMatch((line) -> line.contains(" ERROR ") || line.contains(" WARN "));
	}

	private ConfigurableApplicationContext run(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"management.opentelemetry.tracing.export.otlp.endpoint=" + this.receiver.endpoint()));
		all.addAll(List.of(properties));
		// Command-line arguments: the application's defaultProperties rank below Clambake's defaults
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TracingTestApplication.class)
			.run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	private HttpResponse<String> get(ConfigurableApplicationContext context, String path, Map<String, String> headers)
			throws IOException, InterruptedException {
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		headers.forEach(request::header);
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	private static void flush(ConfigurableApplicationContext context, int endedSpans) throws InterruptedException {
		awaitEndedSpans(context, endedSpans);
		SdkTracerProvider provider = context.getBean(SdkTracerProvider.class);
		assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
	}

	// A server span ends a moment after the client has the response
	private static void awaitEndedSpans(ConfigurableApplicationContext context, int count)
			throws InterruptedException {
		TracingTestApplication.EndedSpans ended = context.getBean(TracingTestApplication.EndedSpans.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (ended.count.get() < count) {
			assertThat(System.nanoTime()).as(count + " spans ended").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private static Span only(List<Span> spans, Span.SpanKind kind, String nameContains) {
		List<Span> matching = spans.stream()
			.filter((span) -> span.getKind() == kind && span.getName().contains(nameContains))
			.toList();
		assertThat(matching).as(kind + " " + nameContains + " in " + spans).hasSize(1);
		return matching.get(0);
	}

	private static String line(CapturedOutput output, String containing) {
		List<String> lines = output.getOut().lines().filter((line) -> line.contains(containing)).toList();
		assertThat(lines).as(containing).hasSize(1);
		return lines.get(0);
	}

}
