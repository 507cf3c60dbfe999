package dev.clambake.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A real OTLP/HTTP receiver on loopback: accepts {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest} and keeps the decoded spans.
 */
final class OtlpReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Span> spans = new CopyOnWriteArrayList<>();

	private final List<String> contentTypes = new CopyOnWriteArrayList<>();

	private final java.util.concurrent.atomic.AtomicInteger metricsRequests = new java.util.concurrent.atomic.AtomicInteger();

	OtlpReceiver() throws IOException {
		this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
	}

	OtlpReceiver(InetSocketAddress address) throws IOException {
		this.server = HttpServer.create(address, 0);
		this.server.createContext("/", (exchange) -> {
			this.metricsRequests.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.createContext("/v1/traces", (exchange) -> {
			this.contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
			try (InputStream body = exchange.getRequestBody()) {
				ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
				for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
					for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
						this.spans.addAll(scopeSpans.getSpansList());
					}
				}
				exchange.sendResponseHeaders(200, -1);
			}
			catch (IOException ex) {
				exchange.sendResponseHeaders(400, -1);
			}
			finally {
				exchange.close();
			}
		});
		this.server.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	List<Span> spans() {
		return new ArrayList<>(this.spans);
	}

	/**
	 * Return how many requests arrived anywhere but {@code /v1/traces} (OTLP metrics, logs).
	 */
	int otherRequests() {
		return this.metricsRequests.get();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	List<String> contentTypes() {
		return new ArrayList<>(this.contentTypes);
	}

	List<Span> awaitSpans(int count, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (this.spans.size() < count) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("Expected " + count + " spans, got " + this.spans);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new UncheckedIOException(new IOException(ex));
			}
		}
		return spans();
	}

	static String hex(com.google.protobuf.ByteString bytes) {
		return HexFormat.of().formatHex(bytes.toByteArray());
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
