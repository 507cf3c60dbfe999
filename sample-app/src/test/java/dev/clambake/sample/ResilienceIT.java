package dev.clambake.sample;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The named client {@code upstream} in the built sample app: Resilience4j's and Clambake's
 * client metrics on {@code /actuator/prometheus}, health untouched by the breaker.
 */
class ResilienceIT {

	@TempDir
	Path directory;

	@Test
	void upstreamClientPublishesResilienceMetrics() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.env("CLAMBAKE_HTTP_CLIENTS_UPSTREAM_READ_TIMEOUT", "3s")
			.startAndAwaitReady()) {
			String metrics = app.get("/actuator/prometheus").body();
			assertThat(metrics).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"upstream\"[^}]*state=\"closed\"[^}]*} 1")
				.containsPattern("resilience4j_retry_calls_total\\{[^}]*name=\"upstream\"")
				.containsPattern("clambake_http_client_throttled_total\\{[^}]*client=\"upstream\"[^}]*} 0");
			assertThat(app.get("/actuator/health").statusCode()).isEqualTo(200);
			assertThat(app.lines("CLAMBAKE_HTTP_CLIENTS_UPSTREAM_READ_TIMEOUT")).isEmpty();
			assertThat(app.lines("resilience=on")).hasSize(1);
		}
	}

}
