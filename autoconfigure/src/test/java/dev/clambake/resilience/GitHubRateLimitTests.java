package dev.clambake.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.clambake.resilience.ScriptedServer.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Named clients against a loopback upstream that answers like GitHub's API when its rate limit
 * runs out ({@code 403} or {@code 429} with {@code x-ratelimit-remaining: 0} and the reset in
 * epoch seconds): the next call waits for the reset instead of going at once, a reset beyond
 * {@code max-retry-after} refuses the call without sending it, a reserve holds calls before the
 * limit runs out, and the periodic summary is logged only when asked for. The clock and the
 * sleeper are the test's, so no test waits for a reset for real.
 */
@ExtendWith(OutputCaptureExtension.class)
class GitHubRateLimitTests {

	private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

	private final ScriptedServer server = ScriptedServer.start();

	private final TestClock clock = new TestClock();

	private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private static Reply exhausted(int status, Instant reset) {
		return Reply.status(status)
			.header("x-ratelimit-limit", "5000")
			.header("x-ratelimit-remaining", "0")
			.header("x-ratelimit-used", "5000")
			.header("x-ratelimit-reset", Long.toString(reset.getEpochSecond()))
			.header("x-ratelimit-resource", "core");
	}

	private static ResponseEntity<String> get(RestClient client) {
		return client.get().uri("/repos/clambake/clambake").retrieve().toEntity(String.class);
	}

	@Test
	void a403WithNothingRemainingHoldsTheNextCallUntilTheReset() {
		this.server.then(exhausted(403, NOW.plusSeconds(7)), Reply.status(200));
		ResilienceTestContexts.runner(this.server).withBean(RateLimitGates.class, this::gates)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				RestClient client = context.getBean(ClambakeHttpClients.class).restClient("test");
				assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).isThrownBy(() -> get(client));
				assertThat(this.server.count()).as("a 403 is not retried").isEqualTo(1);
				assertThat(get(client).getStatusCode().value()).isEqualTo(200);
				assertThat(this.sleeps).containsExactly(Duration.ofSeconds(7));
				assertThat(this.server.count()).isEqualTo(2);
				assertThat(context.getBean(MeterRegistry.class)
					.get(RateLimitMetrics.THROTTLED)
					.tag("client", "test")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aResetBeyondMaxRetryAfterRefusesTheNextCallWithoutSendingIt() {
		this.server.then(exhausted(403, NOW.plusSeconds(3600)));
		ResilienceTestContexts.runner(this.server).withBean(RateLimitGates.class, this::gates).run((context) -> {
			RestClient client = context.getBean(ClambakeHttpClients.class).restClient("test");
			assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).isThrownBy(() -> get(client));
			assertThatExceptionOfType(HttpClientRateLimitedException.class).isThrownBy(() -> get(client))
				.satisfies((ex) -> assertThat(ex.getReset()).isEqualTo(NOW.plusSeconds(3600)))
				.withMessageContaining("'test'");
			assertThat(this.server.count()).isEqualTo(1);
			assertThat(this.sleeps).isEmpty();
			this.clock.now = NOW.plusSeconds(3601);
			this.server.then(Reply.status(200));
			assertThat(get(client).getStatusCode().value()).isEqualTo(200);
		});
	}

	@Test
	void a429WithNothingRemainingIsRetriedAfterTheResetNotAtOnce() {
		// Seconds from now (not epoch seconds) and the real clock: the retry's own wait is real
		this.server.then(Reply.status(429).header("x-ratelimit-remaining", "0").header("x-ratelimit-reset", "1"),
				Reply.status(200));
		ResilienceTestContexts.runner(this.server).run((context) -> {
			RestClient client = context.getBean(ClambakeHttpClients.class).restClient("test");
			long start = System.nanoTime();
			assertThat(get(client).getStatusCode().value()).isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(this.server.count()).isEqualTo(2);
		});
	}

	@Test
	void underTheReserveCallsWaitForTheResetWithConfiguredHeaderNames() {
		this.server.then(Reply.status(200).header("RateLimit-Remaining", "3").header("RateLimit-Reset", "20"),
				Reply.status(200));
		ResilienceTestContexts.runner(this.server).withBean(RateLimitGates.class, this::gates)
			.withPropertyValues("clambake.http.clients.test.rate-limit.reserve=10",
					"clambake.http.clients.test.rate-limit.remaining-header=RateLimit-Remaining",
					"clambake.http.clients.test.rate-limit.reset-header=RateLimit-Reset",
					"clambake.http.clients.test.max-retry-after=30s")
			.run((context) -> {
				RestClient client = context.getBean(ClambakeHttpClients.class).restClient("test");
				get(client);
				get(client);
				assertThat(this.sleeps).containsExactly(Duration.ofSeconds(20));
			});
	}

	@Test
	void withoutAReserveCallsGoOnWhileSomethingRemains() {
		this.server.then(Reply.status(200).header("x-ratelimit-remaining", "1").header("x-ratelimit-reset",
				Long.toString(NOW.plusSeconds(5).getEpochSecond())), Reply.status(200));
		ResilienceTestContexts.runner(this.server).withBean(RateLimitGates.class, this::gates).run((context) -> {
			RestClient client = context.getBean(ClambakeHttpClients.class).restClient("test");
			get(client);
			get(client);
			assertThat(this.sleeps).isEmpty();
		});
	}

	@Test
	void aWebClientHoldsItsNextCallUntilTheResetToo() {
		this.server.then(exhausted(429, NOW.plusSeconds(3600)));
		ResilienceTestContexts.reactiveRunner(this.server).withBean(RateLimitGates.class, this::gates)
			.run((context) -> {
				var client = context.getBean(ClambakeWebClients.class).webClient("test");
				assertThat(client.get().uri("/x").exchangeToMono((r) -> r.releaseBody().thenReturn(r.statusCode().value()))
					.block(Duration.ofSeconds(10))).isEqualTo(429);
				assertThat(this.server.count()).as("a reset beyond max-retry-after is not waited").isEqualTo(1);
				assertThatExceptionOfType(HttpClientRateLimitedException.class)
					.isThrownBy(() -> client.get().uri("/x").retrieve().toBodilessEntity().block(Duration.ofSeconds(10)));
				assertThat(this.server.count()).isEqualTo(1);
			});
	}

	@Test
	void theSummaryIsLoggedPerClientOnlyWhenAskedFor(CapturedOutput output) {
		ResilienceTestContexts.runner(this.server).run((context) -> {
			assertThat(context.getBean(RateLimitGates.class).summarizing()).isFalse();
			assertThat(threadRuns()).isFalse();
		});
		Instant reset = Instant.now().plusSeconds(7);
		this.server.then(exhausted(403, reset));
		ResilienceTestContexts.runner(this.server)
			.withPropertyValues("clambake.http.clients.test.rate-limit.summary-interval=50ms")
			.run((context) -> {
				assertThat(context.getBean(RateLimitGates.class).summarizing()).isTrue();
				get403(context.getBean(ClambakeHttpClients.class).restClient("test"));
				Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output)
					.contains("Rate limit of HTTP client 'test': calls=1 throttled=1 held=0 remaining=0 reset="
							+ Instant.ofEpochSecond(reset.getEpochSecond())));
			});
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !threadRuns());
	}

	private static boolean threadRuns() {
		return Thread.getAllStackTraces().keySet().stream()
			.anyMatch((thread) -> thread.getName().equals("clambake-rate-limit-summary") && thread.isAlive());
	}

	private static void get403(RestClient client) {
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).isThrownBy(() -> get(client));
	}

	private RateLimitGates gates() {
		return new RateLimitGates(Map.of(), this.clock, (duration) -> {
			this.sleeps.add(duration);
			this.clock.now = this.clock.now.plus(duration);
		});
	}

	private final class TestClock extends Clock {

		volatile Instant now = NOW;

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
