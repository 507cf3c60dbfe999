package dev.clambake.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A named client calling an upstream on loopback that accepts connections and never answers:
 * calls beyond the bulkhead's limit are refused at once and the client's threads never
 * outnumber the limit.
 */
class BulkheadThreadBoundTests {

	private static final int LIMIT = 5;

	private static final int CALLS = 4 * LIMIT;

	private static final Duration TIME_LIMIT = Duration.ofSeconds(2);

	/**
	 * How many threads of the client may be alive beyond the bulkhead's limit: none, its pool
	 * has exactly as many threads as the bulkhead has permits.
	 */
	private static final int EXTRA_THREADS = 0;

	private final Silence upstream = new Silence();

	@AfterEach
	void closeUpstream() {
		this.upstream.close();
	}

	@Test
	void callsBeyondTheLimitAreRefusedAtOnceAndThreadsNeverOutnumberIt() throws Exception {
		ResilienceTestContexts.runner()
			.withPropertyValues("clambake.http.clients.silent.base-url=http://127.0.0.1:" + this.upstream.port(),
					"clambake.http.clients.silent.read-timeout=5s",
					"resilience4j.bulkhead.instances.silent.max-concurrent-calls=" + LIMIT,
					"resilience4j.bulkhead.instances.silent.max-wait-duration=0",
					"resilience4j.timelimiter.instances.silent.timeout-duration=" + TIME_LIMIT.toMillis() + "ms")
			.run((context) -> {
				RestClient client = context.getBean(ClambakeHttpClients.class).restClient("silent");
				Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).bulkhead("silent");
				ThreadSampler threads = new ThreadSampler("clambake-http-");
				List<Outcome> outcomes = callAllAtOnce(client, threads);
				List<Outcome> refused = outcomes.stream()
					.filter((outcome) -> outcome.failure() instanceof BulkheadFullException)
					.toList();
				List<Outcome> timedOut = outcomes.stream()
					.filter((outcome) -> outcome.failure() instanceof ResourceAccessException)
					.toList();
				assertThat(refused).hasSize(CALLS - LIMIT);
				assertThat(refused).allSatisfy(
						(outcome) -> assertThat(outcome.elapsed()).isLessThan(TIME_LIMIT.dividedBy(2)));
				assertThat(timedOut).hasSize(LIMIT);
				assertThat(timedOut).allSatisfy((outcome) -> {
					assertThat(outcome.failure()).hasMessageContaining("timed out");
					assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(TIME_LIMIT.minusMillis(100))
						.isLessThan(TIME_LIMIT.multipliedBy(3));
				});
				assertThat(this.upstream.accepted()).isEqualTo(LIMIT);
				// The sampler saw the hanging calls' threads, and never more than the limit
				assertThat(threads.most()).isEqualTo(LIMIT + EXTRA_THREADS);
				// Every permit comes back once the abandoned exchanges end: nothing leaks
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls())
						.isEqualTo(LIMIT));
			});
	}

	private static List<Outcome> callAllAtOnce(RestClient client, ThreadSampler threads) throws Exception {
		ExecutorService callers = Executors.newFixedThreadPool(CALLS);
		try {
			CountDownLatch ready = new CountDownLatch(CALLS);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Outcome>> futures = new ArrayList<>();
			for (int i = 0; i < CALLS; i++) {
				futures.add(callers.submit(() -> {
					ready.countDown();
					go.await();
					long start = System.nanoTime();
					try {
						client.get().uri("/never").retrieve().toBodilessEntity();
						return new Outcome(null, Duration.ofNanos(System.nanoTime() - start));
					}
					catch (RuntimeException ex) {
						return new Outcome(ex, Duration.ofNanos(System.nanoTime() - start));
					}
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			threads.start();
			go.countDown();
			List<Outcome> outcomes = new ArrayList<>();
			for (Future<Outcome> future : futures) {
				outcomes.add(future.get(30, TimeUnit.SECONDS));
			}
			threads.stop();
			return outcomes;
		}
		finally {
			callers.shutdownNow();
		}
	}

	record Outcome(Throwable failure, Duration elapsed) {
	}

	/**
	 * Counts the live threads whose names start with a prefix, leaving out those alive before
	 * it started (left by other tests), every few milliseconds, keeping the highest count.
	 */
	private static final class ThreadSampler {

		private final String prefix;

		private final AtomicInteger most = new AtomicInteger();

		private final AtomicBoolean running = new AtomicBoolean();

		private final CountDownLatch stopped = new CountDownLatch(1);

		private final Set<Thread> before = new HashSet<>();

		ThreadSampler(String prefix) {
			this.prefix = prefix;
		}

		void start() {
			this.before.addAll(Thread.getAllStackTraces().keySet());
			this.running.set(true);
			Thread sampler = new Thread(() -> {
				while (this.running.get()) {
					int count = (int) Thread.getAllStackTraces()
						.keySet()
						.stream()
						.filter((thread) -> thread.isAlive() && thread.getName().startsWith(this.prefix)
								&& !this.before.contains(thread))
						.count();
					this.most.accumulateAndGet(count, Math::max);
					try {
						Thread.sleep(5);
					}
					catch (InterruptedException ex) {
						break;
					}
				}
				this.stopped.countDown();
			}, "thread-sampler");
			sampler.setDaemon(true);
			sampler.start();
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			assertThat(this.stopped.await(5, TimeUnit.SECONDS)).isTrue();
		}

		int most() {
			return this.most.get();
		}

	}

	/**
	 * An upstream on loopback that accepts every connection and never reads or writes a byte.
	 */
	private static final class Silence implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		Silence() {
			try {
				this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			Thread acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						this.sockets.add(this.server.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "silent-upstream");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int accepted() {
			return this.sockets.size();
		}

		@Override
		public void close() {
			try {
				this.server.close();
			}
			catch (IOException ex) {
				// Closing anyway
			}
			for (Socket socket : this.sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// Closing anyway
				}
			}
		}

	}

}
