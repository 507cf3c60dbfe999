package dev.clambake.resilience;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.clambake.resilience.ScriptedServer.Reply;
import dev.clambake.testsupport.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A named {@code RestClient} talking to a real server on loopback through a {@link FaultProxy}
 * that refuses, swallows, freezes, delays and cuts its connections: every fault ends within
 * the client's timeouts, with an exception that says what happened, and the client recovers
 * when the network does. Elapsed times are bounded generously: they check that nothing waits
 * for a timeout it should not, not how fast the machine is.
 */
class NamedClientFaultTests {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

	private final ScriptedServer server = ScriptedServer.start();

	private final FaultProxy proxy;

	NamedClientFaultTests() throws IOException {
		String url = this.server.url();
		this.proxy = FaultProxy.start("127.0.0.1", Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.server.close();
	}

	private ApplicationContextRunner runner() {
		return ResilienceTestContexts.runner()
			.withPropertyValues("clambake.http.clients.test.base-url=http://127.0.0.1:" + this.proxy.port(),
					"clambake.http.clients.test.connect-timeout=" + CONNECT_TIMEOUT.toMillis() + "ms",
					"clambake.http.clients.test.read-timeout=" + READ_TIMEOUT.toMillis() + "ms",
					"resilience4j.retry.configs.default.wait-duration=10ms",
					"resilience4j.retry.configs.default.exponential-max-wait-duration=40ms");
	}

	private static RestClient client(ApplicationContext context) {
		return context.getBean(ClambakeHttpClients.class).restClient("test");
	}

	private static String get(RestClient client) {
		return client.get().uri("/items").retrieve().body(String.class);
	}

	@Test
	void refusedConnectionsFailFastAreCountedByTheBreakerAndRecoverAfterPass() throws IOException {
		this.proxy.refuse();
		runner().run((context) -> {
			CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("test");
			long start = System.nanoTime();
			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> get(client(context)));
			assertThat(elapsedSince(start)).isLessThan(CONNECT_TIMEOUT.multipliedBy(4));
			// Refused is transient: every attempt of the retry (3) reached the breaker as a failure
			assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
			assertThat(this.server.count()).isZero();
			this.proxy.pass();
			assertThat(get(client(context))).isEqualTo("status 200");
			assertThat(this.server.count()).isEqualTo(1);
			assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
		});
	}

	@Test
	void blackHoleFailsWithinTheReadTimeoutAndIsNotRetried() throws IOException {
		this.proxy.blackHole();
		runner().run((context) -> {
			long start = System.nanoTime();
			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> get(client(context)));
			assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(READ_TIMEOUT.minusMillis(100))
				.isLessThan(READ_TIMEOUT.multipliedBy(4));
			// Connected, then silence: a read timeout, not asked again
			assertThat(this.proxy.connections()).isEqualTo(1);
			assertThat(this.server.count()).isZero();
			this.proxy.pass();
			assertThat(get(client(context))).isEqualTo("status 200");
		});
	}

	@Test
	void freezeMidResponseFailsWithinTheReadTimeout() throws Exception {
		// Unfrozen, the rest of the body comes well within the read timeout
		this.server.then(Reply.status(200).pauseMidBody(READ_TIMEOUT.dividedBy(2)));
		runner().run((context) -> {
			CountDownLatch headers = new CountDownLatch(1);
			long start = System.nanoTime();
			CompletableFuture<String> body = CompletableFuture
				.supplyAsync(() -> client(context).get().uri("/items").exchange((request, response) -> {
					headers.countDown();
					return response.bodyTo(String.class);
				}));
			assertThat(headers.await(5, TimeUnit.SECONDS)).isTrue();
			this.proxy.freeze();
			assertThat(body).failsWithin(Duration.ofSeconds(10))
				.withThrowableOfType(ExecutionException.class)
				.satisfies(NamedClientFaultTests::failedReadingTheBody);
			assertThat(elapsedSince(start)).isLessThan(READ_TIMEOUT.multipliedBy(4));
			assertThat(this.server.count()).isEqualTo(1);
			this.proxy.pass();
			assertThat(get(client(context))).isEqualTo("status 200");
		});
	}

	@Test
	void delayBelowTheTimeoutsSucceeds() throws IOException {
		Duration delay = Duration.ofMillis(100);
		this.proxy.delay(delay);
		runner().run((context) -> {
			long start = System.nanoTime();
			assertThat(client(context).get().uri("/items").retrieve().toEntity(String.class).getStatusCode())
				.isEqualTo(HttpStatus.OK);
			// The request and the response each waited at least once
			assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(delay.multipliedBy(2))
				.isLessThan(READ_TIMEOUT.multipliedBy(4));
			assertThat(this.server.count()).isEqualTo(1);
		});
	}

	@Test
	void cutBeforeTheResponseIsRetriedForAnIdempotentMethod() throws Exception {
		this.server.then(Reply.hang(Duration.ofSeconds(30)));
		runner().run((context) -> {
			long start = System.nanoTime();
			CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> get(client(context)));
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.server.count() == 1);
			this.proxy.cut();
			assertThat(body).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("status 200");
			assertThat(elapsedSince(start)).isLessThan(READ_TIMEOUT.multipliedBy(4));
			assertThat(this.server.requests()).containsExactly("GET /items", "GET /items");
		});
	}

	@Test
	void cutBeforeTheResponseIsNotRetriedForPost() throws Exception {
		this.server.then(Reply.hang(Duration.ofSeconds(30)));
		runner().run((context) -> {
			CompletableFuture<?> body = CompletableFuture
				.supplyAsync(() -> client(context).post().uri("/orders").body("{}").retrieve().toBodilessEntity());
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.server.count() == 1);
			this.proxy.cut();
			assertThat(body).failsWithin(Duration.ofSeconds(10))
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(ResourceAccessException.class);
			assertThat(this.server.requests()).containsExactly("POST /orders");
		});
	}

	@Test
	void cutMidResponseFailsClearlyAndIsNotSentAgain() throws Exception {
		this.server.then(Reply.status(200).pauseMidBody(Duration.ofSeconds(30)));
		runner().run((context) -> {
			CountDownLatch headers = new CountDownLatch(1);
			long start = System.nanoTime();
			CompletableFuture<String> body = CompletableFuture
				.supplyAsync(() -> client(context).get().uri("/items").exchange((request, response) -> {
					headers.countDown();
					return response.bodyTo(String.class);
				}));
			assertThat(headers.await(5, TimeUnit.SECONDS)).isTrue();
			this.proxy.cut();
			// The response had arrived: its body failing is the caller's to see, not a retry's
			assertThat(body).failsWithin(Duration.ofSeconds(10))
				.withThrowableOfType(ExecutionException.class)
				.satisfies(NamedClientFaultTests::failedReadingTheBody);
			assertThat(elapsedSince(start)).isLessThan(READ_TIMEOUT.multipliedBy(4));
			assertThat(this.server.count()).isEqualTo(1);
		});
	}

	/**
	 * Spring's own shape for a body that could not be read, whatever the request factory
	 * threw: a {@link RestClientException} caused by an {@link IOException}.
	 */
	private static void failedReadingTheBody(Throwable ex) {
		assertThat(ex.getCause()).isInstanceOf(RestClientException.class)
			.hasMessageStartingWith("Error while extracting response");
		assertThat(ex.getCause().getCause()).isInstanceOf(IOException.class)
			.hasMessageStartingWith("HTTP client 'test' failed reading the response body");
	}

	private static Duration elapsedSince(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
