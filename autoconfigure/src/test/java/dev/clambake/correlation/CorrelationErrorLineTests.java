package dev.clambake.correlation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request whose handler throws, on real servers on loopback (Tomcat and Netty) with text and
 * JSON logs: every line the request causes, the container's ERROR line with the stack trace
 * included, carries the request's correlation id, and no id is left behind on the thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class CorrelationErrorLineTests {

	// Spring Boot keeps the first application's console format in a system property for the JVM
	@AfterEach
	void forgetLogFormat() {
		System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void servletErrorLineCarriesTheIdInJson(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = run(ServletApplication.class, WebApplicationType.SERVLET, "json")) {
			failAndFollowUp(app, "servlet-json");
		}
		assertJsonLines(output, "servlet-json");
	}

	@Test
	void servletErrorLineCarriesTheIdInText(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = run(ServletApplication.class, WebApplicationType.SERVLET, "text")) {
			failAndFollowUp(app, "servlet-text");
		}
		assertTextLines(output, "servlet-text");
	}

	@Test
	void webFluxErrorLineCarriesTheIdInJson(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = run(WebFluxApplication.class, WebApplicationType.REACTIVE,
				"json")) {
			failAndFollowUp(app, "flux-json");
		}
		assertJsonLines(output, "flux-json");
	}

	@Test
	void webFluxErrorLineCarriesTheIdInText(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = run(WebFluxApplication.class, WebApplicationType.REACTIVE,
				"text")) {
			failAndFollowUp(app, "flux-text");
		}
		assertTextLines(output, "flux-text");
	}

	// The failing request, then a request without an id that logs on the same small pool: had the
	// failed request's id stayed on a thread, the follow-up's line would carry it
	private void failAndFollowUp(ConfigurableApplicationContext app, String name) throws Exception {
		int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
		HttpRequest failing = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/fail?marker=marker-" + name))
			.header("X-Correlation-ID", "id-" + name)
			.build();
		HttpResponse<String> response = this.http.send(failing, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("id-" + name);
		for (int i = 0; i < 4; i++) {
			HttpRequest followUp = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/quiet?marker=after-" + name))
				.header("X-Correlation-ID", "next-" + i)
				.build();
			assertThat(this.http.send(followUp, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		}
	}

	@SuppressWarnings("unchecked")
	private static void assertJsonLines(CapturedOutput output, String name) {
		List<Map<String, Object>> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map((line) -> JsonParserFactory.getJsonParser().parseMap(line))
			.toList();
		List<Map<String, Object>> mine = lines.stream()
			.filter((json) -> String.valueOf(json.get("message")).contains("marker-" + name)
					|| String.valueOf(json.get("stack_trace")).contains("marker-" + name))
			.toList();
		assertThat(mine).extracting((json) -> json.get("message")).contains("handling marker-" + name);
		assertThat(mine).as("the ERROR line with the stack trace")
			.anySatisfy((json) -> assertThat(json).containsEntry("level", "ERROR")
				.containsEntry("correlationId", "id-" + name)
				.extractingByKey("stack_trace")
				.asString()
				.contains("IllegalStateException: marker-" + name));
		assertThat(mine).hasSizeGreaterThan(1)
			.allSatisfy((json) -> assertThat(json).as(json.toString()).containsEntry("correlationId", "id-" + name));
		List<Map<String, Object>> after = lines.stream()
			.filter((json) -> String.valueOf(json.get("message")).contains("after-" + name))
			.toList();
		assertThat(after).hasSize(4)
			.allSatisfy((json) -> assertThat((String) json.get("correlationId")).startsWith("next-"));
	}

	private static void assertTextLines(CapturedOutput output, String name) {
		// First lines of events start with the date; stack trace lines do not
		List<String> events = output.getOut().lines().filter((line) -> line.matches("^\\d{4}-.*")).toList();
		List<String> mine = events.stream().filter((line) -> line.contains("marker-" + name)).toList();
		assertThat(mine).anyMatch((line) -> line.contains("handling marker-" + name));
		assertThat(mine).as("the ERROR line").anyMatch((line) -> line.contains("ERROR"));
		assertThat(mine).hasSizeGreaterThan(1).allSatisfy((line) -> assertThat(line).contains("[id-" + name + "] "));
		assertThat(output.getOut()).contains("IllegalStateException: marker-" + name);
		List<String> after = events.stream().filter((line) -> line.contains("after-" + name)).toList();
		assertThat(after).hasSize(4).allSatisfy((line) -> assertThat(line).contains("[next-").doesNotContain("id-" + name));
	}

	private static ConfigurableApplicationContext run(Class<?> application, WebApplicationType type, String format) {
		return new SpringApplicationBuilder(application).web(type)
			.properties("server.port=0", "server.address=127.0.0.1", "clambake.logging.format=" + format,
					"spring.application.name=error-lines", "server.tomcat.threads.max=1",
					"server.tomcat.threads.min-spare=1", "spring.main.banner-mode=off")
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(ServletController.class)
	static class ServletApplication {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(WebFluxController.class)
	static class WebFluxApplication {

	}

	@RestController
	static class ServletController {

		private static final Log logger = LogFactory.getLog(ServletController.class);

		@GetMapping("/fail")
		String fail(@RequestParam String marker) {
			logger.info("handling " + marker);
			throw new IllegalStateException(marker);
		}

		@GetMapping("/quiet")
		String quiet(@RequestParam String marker) {
			logger.info("quiet " + marker);
			return "ok";
		}

	}

	@RestController
	static class WebFluxController {

		private static final Log logger = LogFactory.getLog(WebFluxController.class);

		@GetMapping("/fail")
		Mono<String> fail(@RequestParam String marker) {
			logger.info("handling " + marker);
			return Mono.just(marker)
				.publishOn(Schedulers.boundedElastic())
				.doOnNext((value) -> logger.info("after hop " + value))
				.map((value) -> {
					throw new IllegalStateException(value);
				});
		}

		@GetMapping("/quiet")
		Mono<String> quiet(@RequestParam String marker) {
			logger.info("quiet " + marker);
			return Mono.just("ok");
		}

	}

}
