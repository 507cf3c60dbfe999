package dev.clambake.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health against an upstream that accepts connections and never answers, seen from outside:
 * the sample app jar as a child process, a real hanging TCP server on loopback.
 */
class HealthIT {

	private static final Pattern LIVE_THREADS = Pattern.compile("(?m)^jvm_threads_live_threads(?:\\{[^}]*})? (\\S+)");

	@TempDir
	Path directory;

	@Test
	void hangingUpstreamNeitherHoldsHealthNorTouchesProbesNorLeaksThreads() throws Exception {
		try (HangingServer upstream = new HangingServer();
				SampleAppProcess app = SampleAppProcess.in(this.directory)
					.arg("--sample.upstream.url=" + upstream.url())
					.arg("--management.endpoint.health.show-details=always")
					.startAndAwaitReady()) {
			// Warm the web layer without touching health: first-request set-up is not health's time
			assertThat(app.get("/api/hello").statusCode()).isEqualTo(200);
			liveThreads(app);
			long start = System.nanoTime();
			HttpResponse<String> health = app.get("/actuator/health");
			assertThat(elapsedMs(start)).isLessThan(2000 + 500);
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat((String) JsonPath.read(health.body(), "$.components.upstream.status")).isEqualTo("DOWN");
			assertThat((String) JsonPath.read(health.body(), "$.components.upstream.details.error"))
				.isEqualTo("timed out after 2s");
			assertThat((Object) JsonPath.read(health.body(), "$.components.upstream.details.latencyMs")).isNotNull();
			assertThat((String) JsonPath.read(health.body(), "$.components.upstream.details.checkedAt")).isNotBlank();
			assertThat(upstream.acceptedConnections()).isEqualTo(1);

			for (String probe : new String[] { "liveness", "readiness", "startup" }) {
				long probeStart = System.nanoTime();
				HttpResponse<String> response = app.get("/actuator/health/" + probe);
				assertThat(elapsedMs(probeStart)).as(probe).isLessThan(500);
				assertThat(response.statusCode()).as(probe).isEqualTo(200);
				assertThat(response.body()).as(probe).contains("\"status\":\"UP\"").doesNotContain("upstream");
			}

			int threadsBefore = liveThreads(app);
			long callsStart = System.nanoTime();
			for (int i = 0; i < 500; i++) {
				String path = switch (i % 3) {
					case 0 -> "/actuator/health";
					case 1 -> "/actuator/health/liveness";
					default -> "/actuator/health/readiness";
				};
				long callStart = System.nanoTime();
				HttpResponse<String> response = app.get(path);
				assertThat(elapsedMs(callStart)).as(path).isLessThan(2000 + 500);
				assertThat(response.statusCode()).as(path).isEqualTo(path.equals("/actuator/health") ? 503 : 200);
			}
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - callsStart);
			assertThat(liveThreads(app)).isLessThanOrEqualTo(threadsBefore + 5);
			// One check at a time: a new connection only after the indicator's own 10s read
			// timeout ends the previous one, never one per probe call
			assertThat(upstream.acceptedConnections()).isLessThanOrEqualTo(2 + (int) (seconds / 10));
		}
	}

	private static int liveThreads(SampleAppProcess app) throws Exception {
		String metrics = app.get("/actuator/prometheus").body();
		Matcher matcher = LIVE_THREADS.matcher(metrics);
		assertThat(matcher.find()).as("jvm_threads_live_threads in\n" + metrics).isTrue();
		return (int) Double.parseDouble(matcher.group(1));
	}

	private static long elapsedMs(long startNanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
	}

}
