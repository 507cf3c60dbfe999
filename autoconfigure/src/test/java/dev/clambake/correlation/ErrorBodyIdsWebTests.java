package dev.clambake.correlation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.clambake.testsupport.RunningApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Error bodies of a real Spring MVC (Tomcat) and a real WebFlux (Netty) application, read over
 * HTTP: an application's own problem details, Spring's problem details for a missing parameter
 * and Spring Boot's error body for an unhandled exception all carry the request's correlation
 * id and trace id, for an unsampled trace too; with the switch off none of them does.
 */
class ErrorBodyIdsWebTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<RunningApplication> apps = new ArrayList<>();

	@AfterEach
	void close() {
		this.apps.forEach(RunningApplication::close);
	}

	@ParameterizedTest
	@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
	void everyErrorBodyCarriesTheCorrelationIdAndTheTraceId(WebApplicationType type) throws Exception {
		RunningApplication app = start(type);
		for (String path : List.of("/own-problem", "/missing-parameter", "/unhandled")) {
			HttpResponse<String> response = get(app, path, "00");
			assertThat(response.statusCode()).as(path).isGreaterThanOrEqualTo(400);
			assertThat(response.body()).as(path)
				.contains("\"correlationId\":\"support-" + path.substring(1) + "\"")
				.contains("\"traceId\":\"" + TRACE_ID + "\"");
		}
	}

	@ParameterizedTest
	@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
	void aSampledTraceHasItsIdInTheErrorBodyToo(WebApplicationType type) throws Exception {
		RunningApplication app = start(type);
		HttpResponse<String> response = get(app, "/own-problem", "01");
		assertThat(response.body()).contains("\"traceId\":\"" + TRACE_ID + "\"");
	}

	@ParameterizedTest
	@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
	void anIdTheApplicationSetItselfIsKept(WebApplicationType type) throws Exception {
		RunningApplication app = start(type);
		HttpResponse<String> response = get(app, "/own-id", "00");
		assertThat(response.body()).contains("\"correlationId\":\"mine\"").doesNotContain("support-own-id");
	}

	@ParameterizedTest
	@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
	void whenSwitchedOffNoErrorBodyCarriesTheIds(WebApplicationType type) throws Exception {
		RunningApplication app = start(type, "clambake.correlation.error-bodies.enabled=false");
		assertThat(app.context().getBeanNamesForType(ErrorBodyIds.class)).isEmpty();
		for (String path : List.of("/own-problem", "/missing-parameter", "/unhandled")) {
			HttpResponse<String> response = get(app, path, "00");
			assertThat(response.statusCode()).as(path).isGreaterThanOrEqualTo(400);
			assertThat(response.body()).as(path).contains("\"status\":").doesNotContain("correlationId")
				.doesNotContain("traceId");
		}
	}

	private RunningApplication start(WebApplicationType type, String... more) {
		List<String> properties = new ArrayList<>(List.of("spring.mvc.problemdetails.enabled=true",
				"spring.webflux.problemdetails.enabled=true", "management.tracing.sampling.probability=1.0",
				"spring.main.log-startup-info=false"));
		properties.addAll(List.of(more));
		RunningApplication app = RunningApplication.start(
				(type == WebApplicationType.SERVLET) ? ServletApplication.class : ReactiveApplication.class, type,
				properties.toArray(String[]::new));
		this.apps.add(app);
		return app;
	}

	private HttpResponse<String> get(RunningApplication app, String path, String flags) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
			.header("X-Correlation-ID", "support-" + path.substring(1))
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-" + flags)
			.header("Accept", "application/json, application/problem+json")
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(ServletErrors.class)
	static class ServletApplication {

	}

	@RestController
	static class ServletErrors {

		@GetMapping("/own-problem")
		ResponseEntity<ProblemDetail> ownProblem() {
			return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "taken")).build();
		}

		@GetMapping("/own-id")
		ResponseEntity<ProblemDetail> ownId() {
			ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.CONFLICT);
			problem.setProperty("correlationId", "mine");
			return ResponseEntity.of(problem).build();
		}

		@GetMapping("/missing-parameter")
		String missingParameter(@RequestParam("name") String name) {
			return name;
		}

		@GetMapping("/unhandled")
		String unhandled() {
			throw new IllegalStateException("boom");
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(ReactiveErrors.class)
	static class ReactiveApplication {

	}

	@RestController
	static class ReactiveErrors {

		@GetMapping("/own-problem")
		Mono<ResponseEntity<ProblemDetail>> ownProblem() {
			return Mono.just(ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "taken")).build());
		}

		@GetMapping("/own-id")
		ResponseEntity<ProblemDetail> ownId() {
			ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.CONFLICT);
			problem.setProperty("correlationId", "mine");
			return ResponseEntity.of(problem).build();
		}

		@GetMapping("/missing-parameter")
		Mono<String> missingParameter(@RequestParam("name") String name) {
			return Mono.just(name);
		}

		@GetMapping("/unhandled")
		Mono<String> unhandled() {
			return Mono.error(new IllegalStateException("boom"));
		}

	}

}
