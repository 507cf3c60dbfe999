import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rollout simulation: the sample app under load from many connections, SIGTERM, and new
 * connections for the routing lag after it (a load balancer still sending to the pod), once
 * with Clambake's drain and once with Clambake's shutdown switched off, in alternating rounds.
 * A lost request is one sent during the routing lag that does not answer 200.
 *
 * Usage: java bench/ShutdownDrainBench.java SAMPLE_JAR [ROUNDS] [CONNECTIONS]
 * Prints a Markdown section for the results (bench/shutdown-drain.sh appends it to bench/history/).
 */
public class ShutdownDrainBench {

	static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	static final long ROUTING_LAG_MS = 2000;

	static final long WARM_UP_MS = 2000;

	record Round(String variant, int sent, int lost, long exitMs, String firstError) {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
		int connections = (args.length > 2) ? Integer.parseInt(args[2]) : 32;
		String[][] variants = {
				{ "clambake drain 2s", "--clambake.shutdown.drain-delay=2s" },
				{ "no drain (clambake.shutdown.enabled=false)", "--clambake.shutdown.enabled=false" } };
		List<Round> results = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < variants.length; i++) {
				String[] variant = variants[(round % 2 == 0) ? i : variants.length - 1 - i];
				Round result = run(jar, variant[0], variant[1], connections);
				System.err.printf("round %d %s: sent %d during the routing lag, lost %d, exit %dms %s%n", round + 1,
						result.variant(), result.sent(), result.lost(), result.exitMs(), result.firstError());
				results.add(result);
			}
		}
		System.out.println("| variant | rounds | requests sent during the 2s after SIGTERM (median) | lost (median) | lost per round | exit after SIGTERM (median) |");
		System.out.println("|---|---|---|---|---|---|");
		for (String[] variant : variants) {
			List<Round> mine = results.stream().filter((r) -> r.variant().equals(variant[0])).toList();
			System.out.printf("| %s | %d | %d | %d | %s | %dms |%n", variant[0], mine.size(),
					median(mine.stream().map(Round::sent).toList()), median(mine.stream().map(Round::lost).toList()),
					mine.stream().map((r) -> String.valueOf(r.lost())).toList(),
					median(mine.stream().map((r) -> (int) r.exitMs()).toList()));
		}
		results.stream()
			.filter((r) -> r.firstError() != null && !r.firstError().isEmpty())
			.findFirst()
			.ifPresent((r) -> System.out.println("\nFirst failure seen (" + r.variant() + "): `" + r.firstError() + "`"));
	}

	static int median(List<Integer> values) {
		List<Integer> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	static Round run(Path jar, String variant, String argument, int connections) throws Exception {
		Path directory = Files.createTempDirectory("shutdown-bench");
		Path log = directory.resolve("app.log");
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString(), "--server.port=0", argument)
			.directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			int port = awaitPort(process, log);
			AtomicBoolean stop = new AtomicBoolean();
			Queue<long[]> exchanges = new ConcurrentLinkedQueue<>();
			Queue<String> errors = new ConcurrentLinkedQueue<>();
			ExecutorService load = Executors.newFixedThreadPool(connections);
			for (int i = 0; i < connections; i++) {
				load.execute(() -> {
					while (!stop.get()) {
						long sentAt = System.nanoTime();
						String error = get(port, "/api/work?ms=200");
						exchanges.add(new long[] { sentAt, (error == null) ? 1 : 0 });
						if (error != null) {
							errors.add(error);
							// Retry at the pace of a served request, so both variants send alike
							sleep(200);
						}
					}
				});
			}
			Thread.sleep(WARM_UP_MS);
			long[] exitedAt = new long[1];
			var exited = process.onExit().thenRun(() -> exitedAt[0] = System.nanoTime());
			long sigterm = System.nanoTime();
			process.destroy();
			Thread.sleep(ROUTING_LAG_MS);
			stop.set(true);
			load.shutdown();
			load.awaitTermination(60, TimeUnit.SECONDS);
			exited.get(60, TimeUnit.SECONDS);
			long exitMs = exitedAt[0] - sigterm;
			long lagEnd = sigterm + TimeUnit.MILLISECONDS.toNanos(ROUTING_LAG_MS);
			int sent = 0;
			int lost = 0;
			for (long[] exchange : exchanges) {
				if (exchange[0] >= sigterm && exchange[0] < lagEnd) {
					sent++;
					if (exchange[1] == 0) {
						lost++;
					}
				}
			}
			return new Round(variant, sent, lost, TimeUnit.NANOSECONDS.toMillis(exitMs), errors.isEmpty() ? "" : errors.peek());
		}
		finally {
			process.destroyForcibly().waitFor();
		}
	}

	static int awaitPort(Process process, Path log) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
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
		throw new IllegalStateException("The app did not start");
	}

	/** One request on a new connection; null when it answered 200, else what went wrong. */
	static String get(int port, String path) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			return response.startsWith("HTTP/1.1 200") ? null
					: "HTTP " + response.lines().findFirst().orElse("(empty response)");
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
