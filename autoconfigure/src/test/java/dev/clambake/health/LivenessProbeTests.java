package dev.clambake.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.jayway.jsonpath.JsonPath;
import dev.clambake.testsupport.RunningApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The liveness probe sees a deadlock on a running application. The deadlock is built on
 * interruptible locks, so the test can end it and leave no stuck threads behind.
 */
@ExtendWith(OutputCaptureExtension.class)
class LivenessProbeTests {

	@Test
	void deadlockTurnsLivenessDownNamingTheThreadsAndWarnsOnceWithTheirStacks(CapturedOutput output)
			throws Exception {
		try (RunningApplication app = RunningApplication.start(PlainApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always")) {
			HttpResponse<String> live = app.get("/actuator/health/liveness");
			assertThat(live.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(live.body(), "$.components.deadlocks.status")).isEqualTo("UP");
			try (Deadlock deadlock = Deadlock.start()) {
				HttpResponse<String> dead = app.get("/actuator/health/liveness");
				assertThat(dead.statusCode()).isEqualTo(503);
				List<String> threads = JsonPath.read(dead.body(), "$.components.deadlocks.details.deadlockedThreads");
				assertThat(threads).hasSize(2)
					.anySatisfy((thread) -> assertThat(thread).contains("'deadlock-a'").contains("held by 'deadlock-b'"))
					.anySatisfy((thread) -> assertThat(thread).contains("'deadlock-b'").contains("held by 'deadlock-a'"));
				assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(503);
				// Readiness and the application still answer: a restart is Kubernetes's decision
				assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
				assertThat(output.getOut().lines().filter((line) -> line.contains("Deadlocked threads"))).hasSize(1);
				assertThat(output.getOut()).contains(Deadlock.class.getName() + ".lambda").contains("lockInterruptibly");
			}
			Awaitility.await()
				.atMost(10, TimeUnit.SECONDS)
				.until(() -> app.get("/actuator/health/liveness").statusCode() == 200);
		}
	}

	@Test
	void deadlockDetectionCanBeTurnedOff() throws Exception {
		try (RunningApplication app = RunningApplication.start(PlainApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always", "clambake.health.liveness.deadlock-detection=false")) {
			assertThat(app.context().containsBean("deadlocksHealthIndicator")).isFalse();
			try (Deadlock deadlock = Deadlock.start()) {
				HttpResponse<String> live = app.get("/actuator/health/liveness");
				assertThat(live.statusCode()).isEqualTo(200);
				assertThat(live.body()).doesNotContain("deadlocks");
			}
		}
	}

	@Test
	void requestsHoldingTheirThreadPastTheBoundAreReportedAndEnoughOfThemTakeLivenessDown() throws Exception {
		try (RunningApplication app = RunningApplication.start(SlowApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always",
				"clambake.health.liveness.stuck-request-timeout=300ms",
				"clambake.health.liveness.stuck-request-threshold=2")) {
			SlowController slow = app.context().getBean(SlowController.class);
			HttpClient http = HttpClient.newHttpClient();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/slow"))
				.build();
			CompletableFuture<HttpResponse<String>> first = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
			Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> slow.waiting.get() == 1);
			Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
				HttpResponse<String> live = app.get("/actuator/health/liveness");
				assertThat(live.statusCode()).isEqualTo(200);
				assertThat((Integer) JsonPath.read(live.body(), "$.components.stuckRequests.details.stuck")).isEqualTo(1);
				assertThat(live.body()).contains("GET /api/slow on '");
			});
			CompletableFuture<HttpResponse<String>> second = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
			Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> slow.waiting.get() == 2);
			Awaitility.await()
				.atMost(10, TimeUnit.SECONDS)
				.until(() -> app.get("/actuator/health/liveness").statusCode() == 503);
			slow.release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			HttpResponse<String> live = app.get("/actuator/health/liveness");
			assertThat(live.statusCode()).isEqualTo(200);
			assertThat((Integer) JsonPath.read(live.body(), "$.components.stuckRequests.details.stuck")).isZero();
		}
	}

	@Test
	void stuckRequestsAreNotTrackedByDefault() throws Exception {
		try (RunningApplication app = RunningApplication.start(PlainApplication.class, WebApplicationType.SERVLET)) {
			assertThat(app.context().containsBean("stuckRequestsHealthIndicator")).isFalse();
			assertThat(app.context().containsBean("clambakeStuckRequestFilter")).isFalse();
		}
	}

	/**
	 * Two threads, each holding one lock and waiting for the other's.
	 */
	static final class Deadlock implements AutoCloseable {

		private final Thread a;

		private final Thread b;

		private Deadlock(Thread a, Thread b) {
			this.a = a;
			this.b = b;
		}

		static Deadlock start() throws InterruptedException {
			ReentrantLock first = new ReentrantLock();
			ReentrantLock second = new ReentrantLock();
			CountDownLatch bothHold = new CountDownLatch(2);
			Thread a = thread("deadlock-a", first, second, bothHold);
			Thread b = thread("deadlock-b", second, first, bothHold);
			a.start();
			b.start();
			bothHold.await();
			Awaitility.await()
				.atMost(5, TimeUnit.SECONDS)
				.until(() -> first.hasQueuedThreads() && second.hasQueuedThreads());
			return new Deadlock(a, b);
		}

		private static Thread thread(String name, ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHold) {
			Thread thread = new Thread(() -> {
				mine.lock();
				try {
					bothHold.countDown();
					bothHold.await();
					theirs.lockInterruptibly();
					theirs.unlock();
				}
				catch (InterruptedException ex) {
					// the test ends the deadlock
				}
				finally {
					mine.unlock();
				}
			}, name);
			thread.setDaemon(true);
			return thread;
		}

		@Override
		public void close() throws InterruptedException {
			this.a.interrupt();
			this.b.interrupt();
			this.a.join(5000);
			this.b.join(5000);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class PlainApplication {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(SlowController.class)
	static class SlowApplication {

	}

	@RestController
	static class SlowController {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger waiting = new AtomicInteger();

		@GetMapping("/api/slow")
		String slow() throws InterruptedException {
			this.waiting.incrementAndGet();
			this.release.await(30, TimeUnit.SECONDS);
			return "done";
		}

	}

}
