package dev.clambake.resilience;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that answers from a script (then a fallback), can hang, and
 * counts what reaches it.
 */
final class ScriptedServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final Queue<Reply> script = new ConcurrentLinkedQueue<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final List<Headers> requestHeaders = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private volatile Reply fallback = Reply.status(200);

	private final AtomicInteger bodiesHalfSent = new AtomicInteger();

	private ScriptedServer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	static ScriptedServer start() {
		return new ScriptedServer();
	}

	/**
	 * Answer the next requests with these replies, in order.
	 */
	ScriptedServer then(Reply... replies) {
		this.script.addAll(List.of(replies));
		return this;
	}

	/**
	 * Answer every request after the script with this reply.
	 */
	ScriptedServer otherwise(Reply reply) {
		this.fallback = reply;
		return this;
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	int count() {
		return this.requests.size();
	}

	List<String> requests() {
		return this.requests;
	}

	/**
	 * The headers of each request that reached the server, in order; names are matched
	 * case-insensitively by {@link Headers#getFirst(String)}.
	 */
	List<Headers> requestHeaders() {
		return this.requestHeaders;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().readAllBytes();
			Headers headers = new Headers();
			headers.putAll(exchange.getRequestHeaders());
			this.requestHeaders.add(headers);
			this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
			Reply reply = this.script.poll();
			reply = (reply != null) ? reply : this.fallback;
			if (reply.hang() != null) {
				pause(reply.hang());
			}
			reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
			byte[] body = ("status " + reply.status()).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(reply.status(), body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				if (reply.midBodyPause() != null) {
					out.write(body, 0, body.length / 2);
					out.flush();
					this.bodiesHalfSent.incrementAndGet();
					pause(reply.midBodyPause());
					out.write(body, body.length / 2, body.length - body.length / 2);
				}
				else {
					out.write(body);
				}
			}
		}
	}

	/**
	 * How many responses have had their headers and the first half of their body sent, the
	 * rest held back by {@link Reply#pauseMidBody(Duration)}.
	 */
	int bodiesHalfSent() {
		return this.bodiesHalfSent.get();
	}

	private void pause(Duration duration) {
		try {
			this.release.await(duration.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.release.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	record Reply(int status, Map<String, String> headers, Duration hang, Duration midBodyPause) {

		static Reply status(int status) {
			return new Reply(status, Map.of(), null, null);
		}

		static Reply hang(Duration duration) {
			return new Reply(200, Map.of(), duration, null);
		}

		Reply header(String name, String value) {
			Map<String, String> headers = new LinkedHashMap<>(this.headers);
			headers.put(name, value);
			return new Reply(this.status, headers, this.hang, this.midBodyPause);
		}

		/**
		 * Send the headers and half the body, wait, then send the rest.
		 */
		Reply pauseMidBody(Duration pause) {
			return new Reply(this.status, this.headers, this.hang, pause);
		}

	}

}
