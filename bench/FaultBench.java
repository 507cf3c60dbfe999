import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network faults between the sample app and its two dependencies, and what the app makes of
 * them: the state store on PostgreSQL (through one proxy) and the named HTTP client
 * {@code upstream} (through another, in front of a small HTTP server this program runs). For
 * each fault the program measures the time until {@code POST /api/tasks} or
 * {@code GET /api/upstream} answers with an error, that answer's status, what
 * {@code /actuator/health/readiness} says while the fault holds, and, once the fault is
 * cleared, the time until the call succeeds again. At the end every task acknowledged with 201
 * is read back.
 *
 * Usage: java bench/FaultBench.java SAMPLE_JAR [POSTGRES_HOST:PORT]
 * Prints the settings and a Markdown table for the results (bench/faults.sh appends it to bench/history/) on stdout, progress on stderr.
 */
public class FaultBench {

	static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	/** The app's own bounds, small so that the run is quick; printed with the table. */
	static final String[] SETTINGS = { "--clambake.state.enabled=true", "--clambake.state.connect-timeout=2s",
			"--clambake.state.socket-timeout=3s", "--clambake.state.statement-timeout=2s",
			"--clambake.state.pool.connection-timeout=2s", "--clambake.http.clients.upstream.connect-timeout=1s",
			"--clambake.http.clients.upstream.read-timeout=2s",
			"--resilience4j.circuitbreaker.instances.upstream.wait-duration-in-open-state=5s" };

	/** The delay below every bound: each chunk through the proxy waits this long. */
	static final Duration DELAY = Duration.ofMillis(200);

	/** How long one call of the program waits for the app before counting it as hung. */
	static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

	static final long POLL_MS = 150;

	static final long RECOVERY_BOUND_MS = 60_000;

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static final List<String> acknowledged = new ArrayList<>();

	static final List<String> refused = new ArrayList<>();

	static final String RUN = Long.toString(System.currentTimeMillis(), 36);

	static int taskNumber;

	record Outcome(long millis, int status, String detail) {
		boolean ok() {
			return this.status >= 200 && this.status < 300;
		}
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		String[] postgres = ((args.length > 1) ? args[1] : "127.0.0.1:5432").split(":");
		HttpServer upstream = new HttpServer();
		try (FaultProxy database = FaultProxy.start(postgres[0], Integer.parseInt(postgres[1]));
				FaultProxy http = FaultProxy.start("127.0.0.1", upstream.port())) {
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
					"-Xms256m", "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--server.port=" + freePort(),
					"--clambake.state.url=jdbc:postgresql://127.0.0.1:" + database.port() + "/test?user=postgres",
					"--sample.upstream.url=http://127.0.0.1:" + http.port()));
			command.addAll(List.of(SETTINGS));
			Path directory = Files.createTempDirectory("fault-bench");
			Path log = directory.resolve("app.log");
			Process app = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			try {
				int port = awaitPort(app, log);
				Dependency store = new Dependency("state store (PostgreSQL)", database, () -> createTask(port), true);
				Dependency client = new Dependency("upstream (named HTTP client)", http, () -> callUpstream(port), false);
				List<String> rows = new ArrayList<>();
				for (Dependency dependency : List.of(store, client)) {
					for (String fault : List.of("refuse", "black-hole", "freeze", "cut", "delay")) {
						rows.add(measure(port, dependency, fault));
					}
				}
				int lost = 0;
				for (String id : acknowledged) {
					Outcome read = send(port, "GET", "/api/tasks/" + id, null);
					if (read.status() != 200) {
						lost++;
						System.err.println("acknowledged task " + id + " reads " + read.status() + " " + read.detail());
					}
				}
				int writtenAnyway = 0;
				for (String id : refused) {
					if (send(port, "GET", "/api/tasks/" + id, null).status() == 200) {
						writtenAnyway++;
					}
				}
				System.out.println("- settings: `" + String.join(" ", SETTINGS) + "`; proxy delay " + DELAY.toMillis()
						+ "ms per chunk; calls polled every " + POLL_MS + "ms");
				System.out.println();
				System.out.println(
						"| dependency | fault | time to error | status | readiness during fault | time to recover |");
				System.out.println("|---|---|---|---|---|---|");
				rows.forEach(System.out::println);
				System.out.println();
				System.out.println("Tasks acknowledged with 201 and read back afterwards: " + (acknowledged.size() - lost)
						+ " of " + acknowledged.size() + " (" + lost + " lost). Creates answered with an error: "
						+ refused.size() + ", of which " + writtenAnyway + " can be read afterwards (committed although the"
						+ " answer was an error).");
			}
			finally {
				app.destroy();
				if (!app.waitFor(30, TimeUnit.SECONDS)) {
					app.destroyForcibly().waitFor();
				}
			}
		}
		finally {
			upstream.close();
		}
	}

	/**
	 * A dependency behind a proxy; {@code again}: call a second time while the fault holds (the
	 * first call may only meet a pooled connection the fault cut).
	 */
	record Dependency(String name, FaultProxy proxy, Call call, boolean again) {
	}

	interface Call {

		Outcome call() throws Exception;

	}

	static String measure(int port, Dependency dependency, String fault) throws Exception {
		FaultProxy proxy = dependency.proxy();
		// Start from a working path: the previous fault cleared and a call succeeding
		proxy.pass();
		long settle = System.nanoTime();
		while (!dependency.call().call().ok()) {
			if (elapsedMs(settle) > RECOVERY_BOUND_MS) {
				throw new IllegalStateException(dependency.name() + " does not work before " + fault);
			}
			Thread.sleep(POLL_MS);
		}
		String label;
		Outcome during;
		String readiness;
		switch (fault) {
			case "refuse" -> {
				label = "refuse (open connections cut)";
				proxy.refuse();
				proxy.cut();
				during = dependency.call().call();
				readiness = readiness(port);
			}
			case "black-hole" -> {
				label = "black-hole (open connections cut)";
				proxy.blackHole();
				proxy.cut();
				during = dependency.call().call();
				readiness = readiness(port);
			}
			case "freeze" -> {
				label = "freeze";
				proxy.freeze();
				during = dependency.call().call();
				readiness = readiness(port);
			}
			case "cut" -> {
				// Every chunk held, so the call is mid-exchange when every connection is cut
				label = "cut mid-call (then pass)";
				proxy.delay(Duration.ofSeconds(1));
				Thread cutter = new Thread(() -> {
					sleep(300);
					proxy.cut();
					try {
						proxy.pass();
					}
					catch (IOException ex) {
						throw new IllegalStateException(ex);
					}
				});
				cutter.start();
				during = dependency.call().call();
				cutter.join();
				readiness = readiness(port);
			}
			case "delay" -> {
				label = "delay " + DELAY.toMillis() + "ms per chunk";
				proxy.delay(DELAY);
				during = dependency.call().call();
				readiness = readiness(port);
			}
			default -> throw new IllegalArgumentException(fault);
		}
		String next = "";
		if (dependency.again() && !fault.equals("cut") && !during.ok()) {
			Outcome second = dependency.call().call();
			next = "; next call " + (second.ok() ? "succeeded in " : "") + second.millis() + "ms"
					+ ((second.ok() || second.status() == during.status()) ? "" : " (" + second.status() + ")");
		}
		proxy.pass();
		long cleared = System.nanoTime();
		String recovery;
		if (during.ok()) {
			recovery = "–";
		}
		else {
			recovery = null;
			int polls = 0;
			String failedWith = null;
			while (elapsedMs(cleared) < RECOVERY_BOUND_MS) {
				polls++;
				Outcome poll = dependency.call().call();
				if (poll.ok()) {
					recovery = elapsedMs(cleared) + "ms (" + polls + ((polls == 1) ? " call" : " calls")
							+ ((failedWith != null) ? "; the others failed with " + failedWith : "") + ")";
					break;
				}
				failedWith = poll.status() + " " + poll.detail();
				Thread.sleep(POLL_MS);
			}
			if (recovery == null) {
				recovery = "not within " + RECOVERY_BOUND_MS / 1000 + "s";
			}
		}
		String error = during.ok() ? "no error (answered in " + during.millis() + "ms)" : during.millis() + "ms" + next;
		String status = (during.status() == 0) ? during.detail() : during.status() + " " + during.detail();
		String row = "| " + dependency.name() + " | " + label + " | " + error + " | " + status + " | " + readiness
				+ " | " + recovery + " |";
		System.err.println(row);
		return row;
	}

	static Outcome createTask(int port) throws Exception {
		String id = "fault-" + RUN + "-" + (++taskNumber);
		Outcome outcome = send(port, "POST", "/api/tasks", "{\"id\":\"" + id + "\",\"title\":\"fault bench\"}");
		if (outcome.status() == 201) {
			acknowledged.add(id);
		}
		else {
			refused.add(id);
		}
		return outcome;
	}

	static Outcome callUpstream(int port) throws Exception {
		Outcome outcome = send(port, "GET", "/api/upstream", null);
		// The endpoint answers 200 with the upstream's own status in its body
		return outcome;
	}

	static final Pattern COMPONENT = Pattern.compile("\"(\\w+)\":\\{\"status\":\"(\\w+)\"");

	static final Pattern STATUS = Pattern.compile("\"status\":\"(\\w+)\"");

	/** The readiness group's status code and status, and its components that are not UP. */
	static String readiness(int port) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response;
		try {
			response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
				.timeout(CLIENT_TIMEOUT)
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return "no answer in " + elapsedMs(start) + "ms";
		}
		long millis = elapsedMs(start);
		String body = response.body();
		List<String> notUp = new ArrayList<>();
		Matcher component = COMPONENT.matcher(body);
		while (component.find()) {
			if (!component.group(2).equals("UP")) {
				notUp.add(component.group(1) + " " + component.group(2));
			}
		}
		Matcher overall = STATUS.matcher(COMPONENT.matcher(body).replaceAll(""));
		String status = overall.find() ? overall.group(1) : "?";
		return response.statusCode() + " " + status + (notUp.isEmpty() ? "" : " (" + String.join(", ", notUp) + ")")
				+ " in " + millis + "ms";
	}

	/** One call to the app; status 0 when it did not answer within the client's time-out. */
	static Outcome send(int port, String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(CLIENT_TIMEOUT)
			.header("X-Actor", "fault-bench");
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		long start = System.nanoTime();
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Outcome(elapsedMs(start), response.statusCode(), summary(response));
		}
		catch (IOException ex) {
			return new Outcome(elapsedMs(start), 0, "no answer: " + ex.getClass().getSimpleName());
		}
	}

	// What the answer says in a few words: a health status, the title of problem details, or
	// the exception the upstream endpoint names
	static String summary(HttpResponse<String> response) {
		String body = response.body();
		for (String field : List.of("\"status\":\"", "\"title\":\"", "\"body\":\"")) {
			int at = body.indexOf(field);
			if (at >= 0) {
				int end = body.indexOf('"', at + field.length());
				String value = body.substring(at + field.length(), end);
				String retryAfter = response.headers().firstValue("Retry-After").map((v) -> ", Retry-After " + v).orElse("");
				return (field.startsWith("\"body") ? "(" + value + ")" : value) + retryAfter;
			}
		}
		return "";
	}

	static long elapsedMs(long since) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static int awaitPort(Process process, Path log) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		while (System.nanoTime() < deadline) {
			String output = Files.exists(log) ? Files.readString(log) : "";
			Matcher matcher = PORT.matcher(output);
			if (output.contains("Started SampleApplication") && matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
			if (!process.isAlive()) {
				throw new IllegalStateException("The app exited:\n" + output);
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("The app did not start; see " + log);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed
		}
	}

	/**
	 * The upstream: answers every HTTP/1.1 request at once with 200 and a short body, keeping
	 * the connection open for the next one.
	 */
	static final class HttpServer implements AutoCloseable {

		private final ServerSocket server;

		HttpServer() throws IOException {
			this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
			daemon("upstream-accept", () -> {
				while (!this.server.isClosed()) {
					try {
						Socket socket = this.server.accept();
						daemon("upstream-connection", () -> serve(socket));
					}
					catch (IOException ex) {
						// Closed
					}
				}
			});
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void serve(Socket socket) {
			try (socket) {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				StringBuilder head = new StringBuilder();
				int b;
				while ((b = in.read()) >= 0) {
					head.append((char) b);
					if (head.toString().endsWith("\r\n\r\n")) {
						// Requests of GET carry no body
						byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
						out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
								+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
						out.write(body);
						out.flush();
						head.setLength(0);
					}
				}
			}
			catch (IOException ex) {
				// The client or the proxy went away
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

	/**
	 * The loopback TCP proxy of the test suite's {@code FaultProxy}, copied (a single-file
	 * program cannot use test classes): refuse, black-hole, freeze, delay, cut, pass.
	 */
	static final class FaultProxy implements AutoCloseable {

		enum Mode {

			PASS, REFUSE, BLACK_HOLE, FREEZE, DELAY

		}

		private final InetSocketAddress target;

		private final int port;

		private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

		private final Object gate = new Object();

		private volatile Mode mode = Mode.PASS;

		private volatile Duration delay = Duration.ZERO;

		private volatile ServerSocket server;

		private volatile boolean closed;

		private FaultProxy(InetSocketAddress target) throws IOException {
			this.target = target;
			this.server = listenBelowEphemeralPorts();
			this.port = this.server.getLocalPort();
			acceptIn(this.server);
		}

		// While the proxy refuses, a client retrying on loopback could be given the proxy's
		// port as its own ephemeral port and connect to itself; below Linux's ephemeral range
		// (32768 and up) that cannot happen
		private static ServerSocket listenBelowEphemeralPorts() throws IOException {
			IOException last = null;
			for (int attempt = 0; attempt < 50; attempt++) {
				try {
					return listen(20000 + ThreadLocalRandom.current().nextInt(12000));
				}
				catch (IOException ex) {
					last = ex;
				}
			}
			throw last;
		}

		static FaultProxy start(String host, int port) throws IOException {
			return new FaultProxy(new InetSocketAddress(host, port));
		}

		int port() {
			return this.port;
		}

		void pass() throws IOException {
			mode(Mode.PASS);
		}

		void refuse() throws IOException {
			mode(Mode.REFUSE);
		}

		void blackHole() throws IOException {
			mode(Mode.BLACK_HOLE);
		}

		void freeze() throws IOException {
			mode(Mode.FREEZE);
		}

		void delay(Duration delay) throws IOException {
			this.delay = delay;
			mode(Mode.DELAY);
		}

		void cut() {
			for (Socket socket : this.sockets) {
				closeQuietly(socket);
			}
			this.sockets.clear();
		}

		private void mode(Mode mode) throws IOException {
			synchronized (this.gate) {
				Mode previous = this.mode;
				this.mode = mode;
				if (mode == Mode.REFUSE && previous != Mode.REFUSE) {
					this.server.close();
				}
				else if (mode != Mode.REFUSE && previous == Mode.REFUSE) {
					this.server = listen(this.port);
					acceptIn(this.server);
				}
				this.gate.notifyAll();
			}
		}

		private static ServerSocket listen(int port) throws IOException {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			return server;
		}

		private void acceptIn(ServerSocket server) {
			daemon("fault-proxy-accept-" + this.port, () -> {
				while (!server.isClosed()) {
					try {
						Socket client = server.accept();
						this.sockets.add(client);
						if (this.mode == Mode.BLACK_HOLE) {
							continue;
						}
						connect(client);
					}
					catch (IOException ex) {
						// Closed for REFUSE or close()
					}
				}
			});
		}

		private void connect(Socket client) {
			daemon("fault-proxy-connect", () -> {
				Socket upstream = new Socket();
				try {
					awaitFlow();
					upstream.connect(this.target, 5000);
					this.sockets.add(upstream);
				}
				catch (IOException | InterruptedException ex) {
					closeQuietly(client);
					closeQuietly(upstream);
					return;
				}
				pump(client, upstream);
				pump(upstream, client);
			});
		}

		private void pump(Socket from, Socket to) {
			daemon("fault-proxy-pump", () -> {
				byte[] buffer = new byte[16 * 1024];
				try {
					InputStream in = from.getInputStream();
					OutputStream out = to.getOutputStream();
					int read;
					while ((read = in.read(buffer)) >= 0) {
						awaitFlow();
						out.write(buffer, 0, read);
						out.flush();
					}
				}
				catch (IOException | InterruptedException ex) {
					// Cut, closed, or the other side went away
				}
				finally {
					closeQuietly(from);
					closeQuietly(to);
					this.sockets.remove(from);
					this.sockets.remove(to);
				}
			});
		}

		// Holds a chunk while the proxy is frozen, and for the delay when delaying
		private void awaitFlow() throws InterruptedException {
			synchronized (this.gate) {
				while (this.mode == Mode.FREEZE && !this.closed) {
					this.gate.wait();
				}
			}
			if (this.mode == Mode.DELAY) {
				Thread.sleep(this.delay.toMillis());
			}
		}

		@Override
		public void close() {
			this.closed = true;
			synchronized (this.gate) {
				this.gate.notifyAll();
			}
			try {
				this.server.close();
			}
			catch (IOException ex) {
				// Already closed
			}
			cut();
		}

	}

}
