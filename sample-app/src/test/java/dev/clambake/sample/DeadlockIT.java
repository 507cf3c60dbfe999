package dev.clambake.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deadlocked sample app, seen from outside the way Kubernetes sees it: liveness answers 503
 * within one probe period, while readiness and the application's endpoints still answer.
 */
class DeadlockIT {

	// The shipped manifest's livenessProbe.periodSeconds
	private static final Duration LIVENESS_PERIOD = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	@Test
	void deadlockTurnsLivenessDownWithinAProbePeriodWhileTheRestStillAnswers() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--sample.test.deadlock-endpoint=true")
			.arg("--management.endpoint.health.show-details=always")
			.startAndAwaitReady()) {
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(app.send("POST", "/api/test/deadlock", null).statusCode()).isEqualTo(200);
			Instant deadline = Instant.now().plus(LIVENESS_PERIOD);
			HttpResponse<String> liveness = app.get("/actuator/health/liveness");
			while (liveness.statusCode() != 503 && Instant.now().isBefore(deadline)) {
				Thread.sleep(200);
				liveness = app.get("/actuator/health/liveness");
			}
			assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(503);
			assertThat((String) JsonPath.read(liveness.body(), "$.components.deadlocks.status")).isEqualTo("DOWN");
			assertThat(liveness.body()).contains("sample-deadlock-a").contains("sample-deadlock-b");
			assertThat((String) JsonPath.read(liveness.body(), "$.components.livenessState.status")).isEqualTo("UP");

			HttpResponse<String> readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(readiness.body()).doesNotContain("deadlocks");
			assertThat(app.get("/api/hello").body()).isEqualTo("hello");
			assertThat(app.get("/actuator/prometheus").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(503);
			// One WARN with the stacks, however often liveness is asked
			assertThat(app.lines("Deadlocked threads")).hasSize(1);
			assertThat(app.output()).contains("DeadlockController");
		}
	}

}
