package dev.clambake.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown, seen from outside: the sample app jar as a child process, SIGTERM, load
 * from many concurrent connections and a readiness probe polled alongside, as a load balancer
 * and Kubernetes would.
 */
class ShutdownIT {

	private static final Duration DRAIN = Duration.ofSeconds(2);

	private static final Duration GRACE = Duration.ofSeconds(5);

	/**
	 * Readiness flips after SIGTERM arrives, so the drain ends at least {@link #DRAIN} after the
	 * signal; requests sent in the last moments before that may reach the server only after it
	 * stopped accepting, so the window asserted on ends this much earlier.
	 */
	private static final Duration CLIENT_LATENCY = Duration.ofMillis(300);

	private static final int CONNECTIONS = 32;

	@TempDir
	Path directory;

	@Test
	void sigtermUnderLoadDropsNoRequestSentBeforeOrDuringTheDrain() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--clambake.shutdown.drain-delay=" + DRAIN.toMillis() + "ms")
			.arg("--spring.lifecycle.timeout-per-shutdown-phase=" + GRACE.toMillis() + "ms")
			.startAndAwaitReady()) {
			assertThat(Http.get(app.port(), "/actuator/health/readiness").status()).isEqualTo(200);
			AtomicBoolean stop = new AtomicBoolean();
			Queue<Http.Exchange> work = new ConcurrentLinkedQueue<>();
			Queue<Http.Exchange> readiness = new ConcurrentLinkedQueue<>();
			ExecutorService load = Executors.newFixedThreadPool(CONNECTIONS + 1);
			for (int i = 0; i < CONNECTIONS; i++) {
				load.execute(() -> {
					while (!stop.get()) {
						Http.Exchange exchange = Http.get(app.port(), "/api/work?ms=200");
						work.add(exchange);
						if (exchange.status() != 200) {
							// Once the server is gone, retry at a load balancer's pace, not in a busy loop
							sleep(10);
						}
					}
				});
			}
			load.execute(() -> {
				while (!stop.get()) {
					readiness.add(Http.get(app.port(), "/actuator/health/readiness"));
					sleep(50);
				}
			});
			// Steady load before the signal
			awaitCount(work, 3 * CONNECTIONS);
			long sigterm = System.nanoTime();
			app.process().destroy();
			// Keep sending new connections, as a load balancer would, until after the drain
			boolean exited = app.process().waitFor(DRAIN.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
			long exitedAt = System.nanoTime();
			stop.set(true);
			load.shutdown();
			assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

			assertThat(exited).as("exits within drain + grace").isTrue();
			assertThat(app.process().exitValue()).isIn(0, 143);

			long drainWindowEnd = sigterm + DRAIN.minus(CLIENT_LATENCY).toNanos();
			List<Http.Exchange> beforeSignal = sentBetween(work, Long.MIN_VALUE, sigterm);
			List<Http.Exchange> duringDrain = sentBetween(work, sigterm, drainWindowEnd);
			List<Http.Exchange> afterDrain = sentBetween(work, drainWindowEnd, Long.MAX_VALUE);
			System.out.printf("ShutdownIT: exited %dms after SIGTERM; before SIGTERM %d requests (%d failed), "
					+ "during the drain %d (%d failed), after it %d (%d failed, as may be)%n",
					TimeUnit.NANOSECONDS.toMillis(exitedAt - sigterm), beforeSignal.size(), failed(beforeSignal),
					duringDrain.size(), failed(duringDrain), afterDrain.size(), failed(afterDrain));
			assertThat(beforeSignal).hasSizeGreaterThan(3 * CONNECTIONS)
				.allSatisfy((exchange) -> assertThat(exchange.status()).as(exchange.toString()).isEqualTo(200));
			assertThat(duringDrain).hasSizeGreaterThan(CONNECTIONS)
				.allSatisfy((exchange) -> assertThat(exchange.status()).as(exchange.toString()).isEqualTo(200));

			// A probe sent just before the signal may be answered after readiness flipped: only those
			// answered before the signal was sent must say 200
			assertThat(readiness.stream().filter((exchange) -> exchange.endedAt() < sigterm).toList()).isNotEmpty()
				.allSatisfy((exchange) -> assertThat(exchange.status()).as(exchange.toString()).isEqualTo(200));
			long flipped = readiness.stream()
				.filter((exchange) -> exchange.status() == 503)
				.mapToLong(Http.Exchange::sentAt)
				.min()
				.orElseThrow(() -> new AssertionError("readiness never answered 503: " + readiness));
			assertThat(Duration.ofNanos(flipped - sigterm)).as("readiness flips promptly")
				.isLessThan(DRAIN.dividedBy(2));
			assertThat(sentBetween(readiness, flipped, drainWindowEnd)).hasSizeGreaterThan(3)
				.allSatisfy((exchange) -> assertThat(exchange.status()).as(exchange.toString()).isEqualTo(503));
			// While readiness says 503, the API still serves
			assertThat(sentBetween(work, flipped, drainWindowEnd)).hasSizeGreaterThan(CONNECTIONS)
				.allSatisfy((exchange) -> assertThat(exchange.status()).isEqualTo(200));

			assertThat(Duration.ofNanos(exitedAt - sigterm)).as("served through the drain")
				.isGreaterThanOrEqualTo(DRAIN);
			assertThat(app.output()).contains("Shutdown began; phase readiness: REFUSING_TRAFFIC")
				.contains("Shutdown phase drain: served normally for")
				.contains("Commencing graceful shutdown")
				.contains("Graceful shutdown complete")
				.contains("Shutdown phase web-server:")
				.contains("Shutdown phase hooks: running tracked work (order 2000)")
				.contains("Shutdown step tracked work:")
				.contains("Shutdown sequence complete in");
			assertPhasesInOrder(app.output(), "Shutdown began", "Shutdown phase drain", "Commencing graceful shutdown",
					"Shutdown phase web-server", "Shutdown phase hooks", "Shutdown sequence complete");
		}
	}

	@Test
	void trackedWorkThatFinishesInTimeIsWaitedFor() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--sample.job.interval=100ms")
			.arg("--sample.job.duration=1500ms")
			.arg("--clambake.shutdown.work-timeout=20s")
			.startAndAwaitReady()) {
			app.awaitOutput((output) -> output.contains("sample-batch #1 started"), Duration.ofSeconds(30));
			app.process().destroy();
			assertThat(app.awaitExit()).isIn(0, 143);
			String output = app.output();
			assertThat(output).contains("Shutdown step tracked work: waiting up to 20000ms")
				.contains("for 1: sample-batch")
				.contains("sample-batch #1 finished")
				.contains("Shutdown step tracked work: all 1 finished in")
				.contains("tracked work abandoned: 0")
				.doesNotContain("sample-batch #2 started");
			assertPhasesInOrder(output, "Shutdown step tracked work: waiting", "sample-batch #1 finished",
					"Shutdown step tracked work: all 1 finished");
		}
	}

	@Test
	void trackedWorkThatOverrunsTheTimeoutIsNamedInTheLog() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--sample.job.duration=60s")
			.arg("--clambake.shutdown.work-timeout=1s")
			.startAndAwaitReady()) {
			app.awaitOutput((output) -> output.contains("sample-batch #1 started"), Duration.ofSeconds(30));
			long sigterm = System.nanoTime();
			app.process().destroy();
			assertThat(app.awaitExit()).isIn(0, 143);
			assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).isLessThan(Duration.ofSeconds(20));
			assertThat(app.lines("Shutdown step tracked work: abandoned 1 after")).singleElement()
				.asString()
				.contains("WARN")
				.contains("(clambake.shutdown.work-timeout=1000ms): sample-batch (running for");
			assertThat(app.output()).contains("tracked work abandoned: 1").doesNotContain("sample-batch #1 finished");
		}
	}

	private static void assertPhasesInOrder(String output, String... markers) {
		int from = 0;
		for (String marker : markers) {
			int at = output.indexOf(marker, from);
			assertThat(at).as("'" + marker + "' after the previous phase in:\n" + output).isGreaterThanOrEqualTo(0);
			from = at + marker.length();
		}
	}

	private static long failed(List<Http.Exchange> exchanges) {
		return exchanges.stream().filter((exchange) -> exchange.status() != 200).count();
	}

	private static List<Http.Exchange> sentBetween(Queue<Http.Exchange> exchanges, long from, long to) {
		List<Http.Exchange> selected = new ArrayList<>();
		for (Http.Exchange exchange : exchanges) {
			if (exchange.sentAt() >= from && exchange.sentAt() < to) {
				selected.add(exchange);
			}
		}
		return selected;
	}

	private static void awaitCount(Queue<?> queue, int count) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (queue.size() < count) {
			assertThat(System.nanoTime()).as("load started").isLessThan(deadline);
			sleep(20);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A minimal HTTP/1.1 client: one new connection per request, as a load balancer opens them,
	 * recording when each request was sent and how it ended.
	 */
	static final class Http {

		private Http() {
		}

		static Exchange get(int port, String path) {
			long sentAt = System.nanoTime();
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
				socket.setSoTimeout(10_000);
				OutputStream out = socket.getOutputStream();
				out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = socket.getInputStream();
				String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
				if (!response.startsWith("HTTP/1.1 ")) {
					return new Exchange(path, sentAt, System.nanoTime(), -1, "no status line: " + response);
				}
				int status = Integer.parseInt(response.substring(9, 12));
				return new Exchange(path, sentAt, System.nanoTime(), status, null);
			}
			catch (IOException | RuntimeException ex) {
				return new Exchange(path, sentAt, System.nanoTime(), -1, ex.toString());
			}
		}

		record Exchange(String path, long sentAt, long endedAt, int status, String error) {
		}

	}

}
