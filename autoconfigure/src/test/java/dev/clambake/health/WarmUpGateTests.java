package dev.clambake.health;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up gate on a running application: readiness and the startup probe stay
 * {@code OUT_OF_SERVICE} while warm-up runs, and say how it ended.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarmUpGateTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void warmUpBeansHoldReadinessAndTheStartupProbeUntilTheyReturn(CapturedOutput output) throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch running = new CountDownLatch(1);
		WarmUp warmUp = () -> {
			running.countDown();
			release.await();
		};
		int port = freePort();
		CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture
			.supplyAsync(() -> start(port, warmUp, "management.endpoint.health.show-details=always"));
		try {
			assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
			HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat((String) JsonPath.read(readiness.body(), "$.status")).isEqualTo("OUT_OF_SERVICE");
			HttpResponse<String> startup = get(port, "/actuator/health/startup");
			assertThat(startup.statusCode()).isEqualTo(503);
			assertThat((String) JsonPath.read(startup.body(), "$.components.warmUp.details.state")).isEqualTo("RUNNING");
			assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(get(port, "/api/hello").statusCode()).isEqualTo(200);
		}
		finally {
			release.countDown();
		}
		try (ConfigurableApplicationContext context = starting.get(60, TimeUnit.SECONDS)) {
			assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			HttpResponse<String> startup = get(port, "/actuator/health/startup");
			assertThat(startup.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(startup.body(), "$.components.warmUp.details.state")).isEqualTo("DONE");
			assertThat((String) JsonPath.read(startup.body(), "$.components.warmUp.details.endedAt")).isNotBlank();
			assertThat(context.getBean(ClambakeWarmUp.class).outcome().state()).isEqualTo(WarmUpOutcome.State.DONE);
			assertThat(output.getOut()).contains("Warm-up done in").contains("warm-up: done in");
		}
	}

	@Test
	void builtInWarmUpCallsTheConfiguredEndpointsOverLoopback() throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = start(port, null, "clambake.health.warm-up.requests=/api/hello",
				"clambake.health.warm-up.iterations=3")) {
			assertThat(context.getBean(HelloController.class).warmUpCalls.get()).isEqualTo(3);
			WarmUpOutcome outcome = context.getBean(ClambakeWarmUp.class).outcome();
			assertThat(outcome.state()).isEqualTo(WarmUpOutcome.State.DONE);
			assertThat(outcome.detail()).isEqualTo("1 request x 3");
		}
	}

	@Test
	void spentBudgetInterruptsWarmUpAndTurnsReadyAnyway(CapturedOutput output) throws Exception {
		AtomicBoolean interrupted = new AtomicBoolean();
		WarmUp endless = () -> {
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
		};
		int port = freePort();
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = start(port, endless, "clambake.health.warm-up.timeout=500ms")) {
			assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
			assertThat(context.getBean(ClambakeWarmUp.class).outcome().state())
				.isEqualTo(WarmUpOutcome.State.BUDGET_SPENT);
			assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			Awaitility.await().atMost(5, TimeUnit.SECONDS).untilTrue(interrupted);
			assertThat(output.getOut()).contains("Warm-up budget spent").contains("warm-up: budget spent");
		}
	}

	@Test
	void failingWarmUpRequestEndsWarmUpAsFailed(CapturedOutput output) throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = start(port, null,
				"clambake.health.warm-up.requests=/api/hello,/missing", "clambake.health.warm-up.iterations=2",
				"management.endpoint.health.show-details=always")) {
			WarmUpOutcome outcome = context.getBean(ClambakeWarmUp.class).outcome();
			assertThat(outcome.state()).isEqualTo(WarmUpOutcome.State.FAILED);
			assertThat(outcome.detail()).isEqualTo("2 of 4 warm-up requests failed, first: GET /missing answered 404");
			assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			HttpResponse<String> startup = get(port, "/actuator/health/startup");
			assertThat((String) JsonPath.read(startup.body(), "$.components.warmUp.details.state")).isEqualTo("FAILED");
			assertThat(output.getOut()).contains("Warm-up failed");
		}
	}

	@Test
	void withoutWarmUpWorkThereIsNoGate() throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = start(port, null)) {
			assertThat(context.getBeansOfType(ClambakeWarmUp.class)).isEmpty();
			assertThat(get(port, "/actuator/health").body()).doesNotContain("warmUp");
		}
	}

	private static ConfigurableApplicationContext start(int port, WarmUp warmUp, String... properties) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(WarmUpApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=" + port, "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties);
		if (warmUp != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("testWarmUp", warmUp));
		}
		return builder.run();
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@RestController
	static class HelloController {

		final AtomicInteger warmUpCalls = new AtomicInteger();

		@GetMapping("/api/hello")
		String hello(@RequestHeader(name = "User-Agent", required = false) String agent) {
			if ("clambake-warm-up".equals(agent)) {
				this.warmUpCalls.incrementAndGet();
			}
			return "hello";
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(HelloController.class)
	static class WarmUpApplication {

	}
}
