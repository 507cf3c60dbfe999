package dev.clambake.testsupport;

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
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A real OTLP/HTTP receiver on loopback: accepts {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest} and keeps the decoded spans, and {@code POST /v1/logs} with
 * a protobuf {@code ExportLogsServiceRequest} and keeps the decoded log records; counts what
 * arrives anywhere else (OTLP metrics, logs).
 */
public final class OtlpReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Span> spans = new CopyOnWriteArrayList<>();

	private final List<String> contentTypes = new CopyOnWriteArrayList<>();

	private final AtomicInteger otherRequests = new AtomicInteger();

	private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();

	/**
	 * Start a receiver on a random loopback port.
	 * @throws IOException if the server cannot start
	 */
	public OtlpReceiver() throws IOException {
		this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
	}

	/**
	 * Start a receiver on that address.
	 * @param address the address
	 * @throws IOException if the server cannot start
	 */
	public OtlpReceiver(InetSocketAddress address) throws IOException {
		this.server = HttpServer.create(address, 0);
		this.server.createContext("/", (exchange) -> {
			this.otherRequests.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.createContext("/v1/logs", (exchange) -> {
			this.otherRequests.incrementAndGet();
			try (InputStream body = exchange.getRequestBody()) {
				ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(body.readAllBytes());
				for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
					for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
						for (LogRecord record : scopeLogs.getLogRecordsList()) {
							this.logs.add(new ReceivedLog(resourceLogs.getResource(), record));
						}
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

	/**
	 * Return the URL of the traces endpoint.
	 * @return the URL
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	/**
	 * Return the spans received so far.
	 * @return the spans
	 */
	public List<Span> spans() {
		return new ArrayList<>(this.spans);
	}

	/**
	 * Return how many requests arrived anywhere but {@code /v1/traces} (OTLP metrics, logs).
	 * @return the count
	 */
	public int otherRequests() {
		return this.otherRequests.get();
	}

	/**
	 * Return the receiver's base URL.
	 * @return the URL, without a path
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Return the content types of the trace exports received so far.
	 * @return the content types
	 */
	public List<String> contentTypes() {
		return new ArrayList<>(this.contentTypes);
	}

	/**
	 * Wait until at least that many spans have arrived.
	 * @param count the number of spans
	 * @param timeout how long to wait
	 * @return the spans
	 * @throws IllegalStateException if they do not arrive in time
	 */
	public List<Span> awaitSpans(int count, Duration timeout) {
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

	/**
	 * Return the log records received so far on {@code /v1/logs}, each with its resource.
	 * @return the log records
	 */
	public List<ReceivedLog> logs() {
		return new ArrayList<>(this.logs);
	}

	/**
	 * Return the URL of the logs endpoint.
	 * @return the URL
	 */
	public String logsEndpoint() {
		return baseUrl() + "/v1/logs";
	}

	/**
	 * One log record as it arrived, with the resource it was sent under.
	 *
	 * @param resource the resource (service name and the other resource attributes)
	 * @param record the record
	 */
	public record ReceivedLog(Resource resource, LogRecord record) {

		/**
		 * Return the value of a string attribute of the record, or {@code null}.
		 * @param key the attribute's key
		 * @return the value
		 */
		public String attribute(String key) {
			return this.record.getAttributesList().stream().filter((kv) -> kv.getKey().equals(key))
				.map((kv) -> kv.getValue().getStringValue()).findFirst().orElse(null);
		}

		/**
		 * Return the value of a string attribute of the resource, or {@code null}.
		 * @param key the attribute's key
		 * @return the value
		 */
		public String resourceAttribute(String key) {
			return this.resource.getAttributesList().stream().filter((kv) -> kv.getKey().equals(key))
				.map((kv) -> kv.getValue().getStringValue()).findFirst().orElse(null);
		}

		/**
		 * Return the record's body as a string.
		 * @return the body
		 */
		public String body() {
			return this.record.getBody().getStringValue();
		}

	}

	/**
	 * Return an id as lower-case hex, as it appears in logs and headers.
	 * @param bytes a trace or span id
	 * @return the hex string
	 */
	public static String hex(ByteString bytes) {
		return HexFormat.of().formatHex(bytes.toByteArray());
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
