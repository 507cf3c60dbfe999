package dev.clambake.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task API backed by the state store, seen from outside: the sample app jar as a child
 * process keeping its SQLite file under ./data/ in its working directory.
 */
class TaskApiIT {

	@TempDir
	Path directory;

	@Test
	void tasksAreCreatedReadUpdatedClaimedListedAndDeleted() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--management.endpoint.health.show-components=always")
			.startAndAwaitReady()) {
			HttpResponse<String> created = app.send("POST", "/api/tasks", "{\"id\":\"t-1\",\"title\":\"write tests\"}",
					"X-Actor", "alice");
			assertThat(created.statusCode()).isEqualTo(201);
			assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
			assertThat(created.headers().firstValue("Location")).hasValue("/api/tasks/t-1");
			assertThat(json(created)).containsEntry("title", "write tests").containsEntry("version", 1);
			assertThat(app.send("POST", "/api/tasks", "{\"id\":\"t-1\",\"title\":\"again\"}").statusCode()).isEqualTo(409);

			HttpResponse<String> read = app.get("/api/tasks/t-1");
			assertThat(read.statusCode()).isEqualTo(200);
			assertThat(json(read)).containsEntry("id", "t-1").containsEntry("claimedBy", null);
			assertThat(app.get("/api/tasks/nope").statusCode()).isEqualTo(404);

			HttpResponse<String> updated = app.send("PUT", "/api/tasks/t-1", "{\"title\":\"write more tests\"}",
					"If-Match", "\"1\"");
			assertThat(updated.statusCode()).isEqualTo(200);
			assertThat(updated.headers().firstValue("ETag")).hasValue("\"2\"");
			HttpResponse<String> stale = app.send("PUT", "/api/tasks/t-1", "{\"title\":\"lost update\"}", "If-Match",
					"\"1\"");
			assertThat(stale.statusCode()).isEqualTo(409);
			assertThat(stale.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json(stale)).containsEntry("currentVersion", 2).containsEntry("status", 409);
			assertThat(app.send("PUT", "/api/tasks/t-1", "{\"title\":\"x\"}").statusCode()).isEqualTo(428);

			HttpResponse<String> claimed = app.send("POST", "/api/tasks/t-1/claim", "{\"agent\":\"agent-1\"}");
			assertThat(claimed.statusCode()).isEqualTo(200);
			assertThat(json(claimed)).containsEntry("claimedBy", "agent-1").containsEntry("version", 3);
			HttpResponse<String> taken = app.send("POST", "/api/tasks/t-1/claim", "{\"agent\":\"agent-2\"}");
			assertThat(taken.statusCode()).isEqualTo(409);
			assertThat(json(taken)).containsEntry("currentVersion", 3);

			for (int i = 0; i < 4; i++) {
				assertThat(app.send("POST", "/api/tasks", "{\"id\":\"p-" + i + "\",\"title\":\"page\"}").statusCode())
					.isEqualTo(201);
			}
			List<Object> ids = new ArrayList<>();
			String path = "/api/tasks?pageSize=2";
			int pages = 0;
			while (path != null) {
				Map<String, Object> page = json(app.get(path));
				for (Object item : (List<?>) page.get("items")) {
					ids.add(((Map<?, ?>) item).get("id"));
				}
				pages++;
				path = (page.get("nextPageToken") != null) ? "/api/tasks?pageSize=2&pageToken=" + page.get("nextPageToken")
						: null;
			}
			assertThat(ids).containsExactly("p-0", "p-1", "p-2", "p-3", "t-1");
			assertThat(pages).isEqualTo(3);

			assertThat(app.send("DELETE", "/api/tasks/t-1", null, "If-Match", "\"2\"").statusCode()).isEqualTo(409);
			assertThat(app.send("DELETE", "/api/tasks/t-1", null, "If-Match", "\"3\"", "X-Actor", "bob").statusCode())
				.isEqualTo(204);
			assertThat(app.get("/api/tasks/t-1").statusCode()).isEqualTo(404);

			List<Object> audit = JsonParserFactory.getJsonParser().parseList(app.get("/api/tasks/t-1/audit").body());
			assertThat(audit.stream().map((row) -> (Object) ((Map<?, ?>) row).get("action")).toList())
				.containsExactly("CREATED", "UPDATED", "UPDATED", "DELETED");
			assertThat(audit.stream().map((row) -> (Object) ((Map<?, ?>) row).get("actor")).toList())
				.containsExactly("alice", null, "agent-1", "bob");

			String metrics = app.get("/actuator/prometheus").body();
			assertThat(metrics)
				.containsPattern("clambake_state_operations_total\\{[^}]*operation=\"create\",outcome=\"success\"")
				.containsPattern("clambake_state_operations_total\\{[^}]*operation=\"replace\",outcome=\"conflict\"")
				.contains("clambake_state_operation_duration_seconds_bucket{");
			HttpResponse<String> health = app.get("/actuator/health/stateStore");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(json(health)).containsEntry("status", "UP");
			// The store is a local critical component: it is part of readiness, never of liveness
			assertThat(app.get("/actuator/health/readiness").body()).contains("\"stateStore\"");
			assertThat(app.get("/actuator/health/liveness").body()).doesNotContain("stateStore");
			assertThat(this.directory.resolve("data/clambake-state.db")).isRegularFile();
			assertThat(app.output()).doesNotContain("restricted method");
		}
	}

	@Test
	void invalidInputGetsA400WithAProblemDetailBody() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			for (HttpResponse<String> response : List.of(app.send("POST", "/api/tasks", "{\"title\":\"\"}"),
					app.send("POST", "/api/tasks", "{not json"),
					app.send("POST", "/api/tasks", "{\"id\":\"bad id!\",\"title\":\"t\"}"),
					app.send("POST", "/api/tasks", "{\"title\":\"" + "x".repeat(201) + "\"}"),
					app.get("/api/tasks?pageSize=0"), app.get("/api/tasks?pageSize=abc"),
					app.get("/api/tasks/bad%20id"))) {
				assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(400);
				assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
				assertThat(json(response)).containsEntry("status", 400).containsKey("detail");
			}
			app.send("POST", "/api/tasks", "{\"id\":\"t\",\"title\":\"t\"}");
			HttpResponse<String> badVersion = app.send("PUT", "/api/tasks/t", "{\"title\":\"t\"}", "If-Match", "soon");
			assertThat(badVersion.statusCode()).isEqualTo(400);
			assertThat(json(badVersion).get("detail").toString()).contains("If-Match");
		}
	}

	@Test
	void stringsTheStoreCannotKeepExactlyGetA400AndNothingIsStored() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			HttpResponse<String> lone = app.send("POST", "/api/tasks", "{\"id\":\"lone\",\"title\":\"a\\ud800b\"}");
			assertThat(lone.statusCode()).isEqualTo(400);
			assertThat(lone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json(lone).get("detail").toString()).contains("'/title'").contains("unpaired UTF-16 surrogate");
			assertThat(app.get("/api/tasks/lone").statusCode()).isEqualTo(404);
			HttpResponse<String> pair = app.send("POST", "/api/tasks",
					"{\"id\":\"pair\",\"title\":\"smile \\ud83d\\ude00\"}");
			assertThat(pair.statusCode()).isEqualTo(201);
			assertThat(json(app.get("/api/tasks/pair"))).containsEntry("title", "smile \ud83d\ude00");
		}
	}

	@Test
	void bodiesLargerThanTheStoreKeepsGetA413WithoutBeingReadWhole() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			long thirtyMegabytes = 30L * 1024 * 1024;
			RawPost declared = RawPost.send(app.port(), thirtyMegabytes, false);
			assertThat(declared.head()).startsWith("HTTP/1.1 413");
			assertThat(declared.body()).contains("\"status\":413").contains("larger than");
			assertThat(declared.sent()).as("bytes of the body sent").isLessThan(thirtyMegabytes);
			RawPost chunked = RawPost.send(app.port(), thirtyMegabytes, true);
			assertThat(chunked.head()).as(chunked.body()).startsWith("HTTP/1.1 413").contains("application/problem+json");
			assertThat(chunked.body()).contains("\"status\":413");
			assertThat(chunked.sent()).as("bytes of the body sent").isLessThan(thirtyMegabytes);
			// A small body without a declared length still passes the bounded stream
			RawPost small = RawPost.send(app.port(), 0, true);
			assertThat(small.head()).startsWith("HTTP/1.1 201");
			assertThat(json(app.get("/api/tasks")).get("items").toString()).contains("raw-0").doesNotContain("raw-3");
		}
	}

	@Test
	void ofTwoConcurrentClaimsOfOneTaskExactlyOneWins() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory).startAndAwaitReady()) {
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				for (int round = 0; round < 10; round++) {
					String id = "race-" + round;
					assertThat(app.send("POST", "/api/tasks", "{\"id\":\"" + id + "\",\"title\":\"race\"}").statusCode())
						.isEqualTo(201);
					CyclicBarrier start = new CyclicBarrier(2);
					List<Future<Integer>> claims = new ArrayList<>();
					for (String agent : List.of("agent-a", "agent-b")) {
						claims.add(executor.submit(() -> {
							start.await(10, TimeUnit.SECONDS);
							return app.send("POST", "/api/tasks/" + id + "/claim", "{\"agent\":\"" + agent + "\"}")
								.statusCode();
						}));
					}
					List<Integer> statuses = new ArrayList<>();
					for (Future<Integer> claim : claims) {
						statuses.add(claim.get(30, TimeUnit.SECONDS));
					}
					assertThat(statuses).as(id).containsExactlyInAnyOrder(200, 409);
				}
			}
			finally {
				executor.shutdownNow();
			}
		}
	}

	@Test
	void withTheStateStoreOffTheAppStartsWithoutTheTaskApiAndWithoutADatabaseFile() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.in(this.directory)
			.arg("--clambake.state.enabled=false")
			.startAndAwaitReady()) {
			assertThat(app.get("/api/hello").statusCode()).isEqualTo(200);
			assertThat(app.get("/api/tasks").statusCode()).isEqualTo(404);
			assertThat(this.directory.resolve("data")).doesNotExist();
		}
	}

	private static Map<String, Object> json(HttpResponse<String> response) {
		return JsonParserFactory.getJsonParser().parseMap(response.body());
	}

	/**
	 * A POST of a task with a junk field of the given size, written on its own thread while the
	 * response is read, so an early answer is seen while the client is still sending.
	 */
	private record RawPost(String head, String body, long sent) {

		static RawPost send(int port, long junk, boolean chunked) throws Exception {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				socket.setSoTimeout(30_000);
				OutputStream out = socket.getOutputStream();
				byte[] start = ("{\"id\":\"raw-" + junk + "\",\"title\":\"t\",\"junk\":\"").getBytes(StandardCharsets.US_ASCII);
				byte[] end = "\"}".getBytes(StandardCharsets.US_ASCII);
				long length = start.length + junk + end.length;
				String head = "POST /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
						+ "Content-Type: application/json\r\n"
						+ (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
				out.write(head.getBytes(StandardCharsets.US_ASCII));
				AtomicLong sent = new AtomicLong();
				Thread writer = new Thread(() -> {
					try {
						byte[] chunk = new byte[64 * 1024];
						Arrays.fill(chunk, (byte) 'x');
						write(out, start, chunked, sent);
						for (long left = junk; left > 0; left -= chunk.length) {
							write(out, Arrays.copyOf(chunk, (int) Math.min(chunk.length, left)), chunked, sent);
						}
						write(out, end, chunked, sent);
						if (chunked) {
							out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
						}
						out.flush();
					}
					catch (IOException ex) {
						// The server closed the connection without reading the rest: expected
					}
				});
				writer.start();
				String response = new String(socket.getInputStream().readNBytes(1024 * 1024), StandardCharsets.UTF_8);
				writer.join(30_000);
				assertThat(writer.isAlive()).isFalse();
				int split = response.indexOf("\r\n\r\n");
				assertThat(split).as(response).isPositive();
				return new RawPost(response.substring(0, split), response.substring(split + 4), sent.get());
			}
			catch (SocketException ex) {
				throw new AssertionError("connection reset before the answer could be read", ex);
			}
		}

		private static void write(OutputStream out, byte[] bytes, boolean chunked, AtomicLong sent)
				throws IOException {
			if (chunked) {
				out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			}
			out.write(bytes);
			if (chunked) {
				out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			sent.addAndGet(bytes.length);
		}

	}

}
