package dev.clambake.health;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.clambake.testsupport.RunningApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health on a real WebFlux application (Netty on a random port) with a reactive indicator
 * whose check never completes, read over HTTP the way a probe and a dashboard read it.
 */
class HealthWebFluxTests {

	private static RunningApplication app;

	@BeforeAll
	static void start() {
		app = RunningApplication.start(WebFluxApplication.class, WebApplicationType.REACTIVE,
				"clambake.health.timeouts.redis=500ms", "management.endpoint.health.show-details=always");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void hangingReactiveCheckIsCutAtItsTimeBox() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> health = app.get("/actuator/health");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500 + 1500);
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(health.body()).contains("\"redis\"").contains("timed out after 500ms");
		assertThat(app.get("/actuator/health/redis").statusCode()).isEqualTo(503);
	}

	@Test
	void probesAnswerAtOnceWhileTheCheckHangs() throws Exception {
		app.get("/actuator/health");
		for (String probe : new String[] { "liveness", "readiness" }) {
			long start = System.nanoTime();
			HttpResponse<String> response = app.get("/actuator/health/" + probe);
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as(probe).isLessThan(1000);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(response.body()).as(probe).doesNotContain("redis");
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class WebFluxApplication {

		@Bean
		ReactiveHealthIndicator redis() {
			return Mono::never;
		}

	}

}
