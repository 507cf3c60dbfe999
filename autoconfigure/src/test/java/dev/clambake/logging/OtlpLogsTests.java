package dev.clambake.logging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import dev.clambake.testsupport.OtlpReceiver;
import dev.clambake.testsupport.OtlpReceiver.ReceivedLog;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log events over OTLP from a real web application to a real OTLP/HTTP receiver on loopback
 * that decodes the protobuf {@code ExportLogsServiceRequest}: each record carries the trace and
 * span ids of the request's span, the correlation id and the resource attributes; records are
 * batched, flushed when the application closes, dropped and counted when the bounded queue is
 * full; without an endpoint (or with the switch off) there is no appender.
 */
class OtlpLogsTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<OtlpReceiver> receivers = new ArrayList<>();

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.receivers.forEach(OtlpReceiver::close);
	}

	@Test
	void aRequestsLogArrivesWithItsTraceIdSpanIdCorrelationIdAndResource() throws Exception {
		OtlpReceiver receiver = receiver();
		ConfigurableApplicationContext context = run(receiver, "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.logging.export.schedule-delay=100ms");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + "/api/hello"))
			.header("X-Correlation-ID", "support-4711")
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
			.build();
		assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		ReceivedLog log = awaitLog(receiver, "hello called");
		assertThat(OtlpReceiver.hex(log.record().getTraceId())).isEqualTo(TRACE_ID);
		assertThat(OtlpReceiver.hex(log.record().getSpanId())).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
		assertThat(log.attribute("correlationId")).isEqualTo("support-4711");
		assertThat(log.resourceAttribute("service.name")).isEqualTo("orders");
		assertThat(log.record().getSeverityText()).isEqualTo("INFO");
		assertThat(log.attribute("code.namespace") != null || log.attribute("thread.name") != null
				|| !log.record().getAttributesList().isEmpty()).isTrue();
	}

	@Test
	void anUnsampledRequestsLogCarriesItsTraceIdToo() throws Exception {
		OtlpReceiver receiver = receiver();
		ConfigurableApplicationContext context = run(receiver, "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.logging.export.schedule-delay=100ms");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + "/api/hello"))
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-00")
			.build();
		this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(OtlpReceiver.hex(awaitLog(receiver, "hello called").record().getTraceId())).isEqualTo(TRACE_ID);
	}

	@Test
	void bufferedLogsAreFlushedWhenTheApplicationCloses() throws Exception {
		OtlpReceiver receiver = receiver();
		ConfigurableApplicationContext context = run(receiver,
				"management.opentelemetry.logging.export.schedule-delay=1h");
		LoggerFactory.getLogger("orders.shutdown").info("last words before closing");
		assertThat(receiver.logs()).noneMatch((log) -> log.body().equals("last words before closing"));
		context.close();
		awaitLog(receiver, "last words before closing");
		assertThat(rootHasOtlpAppender()).isFalse();
	}

	@Test
	void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
		OtlpReceiver receiver = receiver();
		ConfigurableApplicationContext context = run(receiver,
				"management.opentelemetry.logging.export.schedule-delay=1h",
				"management.opentelemetry.logging.export.max-queue-size=4",
				"management.opentelemetry.logging.export.max-batch-size=4");
		Logger logger = LoggerFactory.getLogger("orders.flood");
		long start = System.nanoTime();
		for (int i = 0; i < 2_000; i++) {
			logger.info("flood {}", i);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		OtlpLogDrops drops = context.getBean(OtlpLogDrops.class);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> drops.count() > 0);
		assertThat(context.getBean(MeterRegistry.class).get(OtlpLogDrops.COUNTER_NAME).functionCounter().count())
			.isEqualTo(drops.count());
	}

	@Test
	void withoutAnEndpointThereIsNoAppender() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(LoggingApplication.class)
			.run("--server.port=0", "--spring.main.banner-mode=off");
		this.contexts.add(context);
		assertThat(context.getBeanNamesForType(OtlpLogAppenderInstaller.class)).isEmpty();
		assertThat(context.getBeanNamesForType(OtlpLogDrops.class)).isEmpty();
		assertThat(rootHasOtlpAppender()).isFalse();
	}

	@Test
	void whenSwitchedOffThereIsNoAppender() throws Exception {
		ConfigurableApplicationContext context = run(receiver(), "clambake.logging.otlp.enabled=false");
		assertThat(context.getBeanNamesForType(OtlpLogAppenderInstaller.class)).isEmpty();
		assertThat(rootHasOtlpAppender()).isFalse();
	}

	private static boolean rootHasOtlpAppender() {
		LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
		return loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(OtlpLogAppenderInstaller.APPENDER_NAME) != null;
	}

	private OtlpReceiver receiver() throws Exception {
		OtlpReceiver receiver = new OtlpReceiver();
		this.receivers.add(receiver);
		return receiver;
	}

	private ConfigurableApplicationContext run(OtlpReceiver receiver, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"spring.application.name=orders",
				"management.opentelemetry.logging.export.otlp.endpoint=" + receiver.logsEndpoint()));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(LoggingApplication.class)
			.run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static ReceivedLog awaitLog(OtlpReceiver receiver, String body) {
		Awaitility.await().atMost(Duration.ofSeconds(20))
			.until(() -> receiver.logs().stream().anyMatch((log) -> log.body().equals(body)));
		return receiver.logs().stream().filter((log) -> log.body().equals(body)).findFirst().orElseThrow();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(HelloController.class)
	static class LoggingApplication {

	}

	@RestController
	static class HelloController {

		private static final Logger logger = LoggerFactory.getLogger(HelloController.class);

		@GetMapping("/api/hello")
		String hello() {
			logger.info("hello called");
			return "hello";
		}

	}

}
