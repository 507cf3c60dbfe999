import java.io.IOException;
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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What leases cost the database, and how fast a job moves on when its holder dies. The sample
 * app runs against a PostgreSQL database of its own ({@value #DATABASE}, dropped and created
 * again), so the server's {@code pg_stat_database} counts only its transactions; the apps' own
 * {@code clambake_state_operations_total} gives the operations by kind.
 * <ol>
 * <li>idle: one replica whose job is not due ({@code sample.job.interval=1h} after its first
 * run): transactions per second over the window;</li>
 * <li>one running job: one replica inside one long run (60s, lease 3s, renewed every 1s);</li>
 * <li>three replicas, a job every second working 300ms: transactions per second in all and per
 * run, and the operations behind them;</li>
 * <li>holder death: three replicas, a job every second working 2s under a 3s lease; the holder
 * is killed with SIGKILL mid-run and the time until another replica logs its next run is taken.</li>
 * </ol>
 *
 * Usage: java bench/LeaseBench.java SAMPLE_JAR [POSTGRES_HOST:PORT] [WINDOW_SECONDS] [KILLS]
 * Prints a Markdown table for bench/history/ (and bench/RESULTS.md) on stdout, progress on stderr. Needs psql.
 */
public class LeaseBench {

	static final String DATABASE = "clambake_lease_bench";

	static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	static final Pattern OPERATION = Pattern.compile(
			"clambake_state_operations_total\\{[^}]*operation=\"([a-z_]+)\",outcome=\"([a-z_]+)\"[^}]*\\} ([0-9.E]+)");

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static String host;

	static String pgPort;

	static Path jar;

	static Path work;

	public static void main(String[] args) throws Exception {
		jar = Path.of(args[0]).toAbsolutePath();
		String[] postgres = ((args.length > 1) ? args[1] : "127.0.0.1:5432").split(":");
		host = postgres[0];
		pgPort = postgres[1];
		int window = (args.length > 2) ? Integer.parseInt(args[2]) : 30;
		int kills = (args.length > 3) ? Integer.parseInt(args[3]) : 3;
		work = Files.createTempDirectory("lease-bench");
		List<String> rows = new ArrayList<>();
		rows.add("| scenario | replicas | window | DB transactions/s (server) | store operations/s (apps) | per run |");
		rows.add("|---|---|---|---|---|---|");

		recreateDatabase();
		try (Replicas replicas = Replicas.start(1, "1h", "300ms", "3s")) {
			// Its first run happens at start-up; after it the schedule is an hour away
			replicas.awaitRuns(1);
			Thread.sleep(2000);
			rows.add(measure("idle replica (job not due)", replicas, window));
		}
		recreateDatabase();
		try (Replicas replicas = Replicas.start(1, "1h", "60s", "3s")) {
			replicas.awaitRuns(1);
			Thread.sleep(2000);
			rows.add(measure("one job running (lease 3s, renewed every 1s)", replicas, Math.min(window, 50)));
		}
		recreateDatabase();
		try (Replicas replicas = Replicas.start(3, "1s", "300ms", "3s")) {
			replicas.awaitRuns(3);
			rows.add(measure("3 replicas, job every 1s working 300ms", replicas, window));
		}

		recreateDatabase();
		List<Long> takeovers = new ArrayList<>();
		try (Replicas replicas = Replicas.start(kills + 1, "1s", "2s", "3s")) {
			replicas.awaitRuns(1);
			for (int i = 0; i < kills; i++) {
				Replica holder = replicas.awaitHolder();
				long killed = System.nanoTime();
				holder.process.destroyForcibly().waitFor();
				replicas.alive.remove(holder);
				int[] before = replicas.alive.stream().mapToInt(Replica::started).toArray();
				long took = replicas.awaitNewRun(before, killed);
				takeovers.add(took);
				System.err.println("take-over after SIGKILL: " + took + "ms");
			}
		}
		List<Long> sorted = new ArrayList<>(takeovers);
		sorted.sort(Long::compare);
		System.out.println(String.join("\n", rows));
		System.out.println();
		System.out.println("Holder killed with SIGKILL mid-run (job every 1s working 2s, lease 3s renewed every 1s): "
				+ "time until another replica starts the next run, " + takeovers.size() + " kills: " + takeovers
				+ " ms, median " + sorted.get(sorted.size() / 2) + " ms (bound: the lease's remaining time, at most 3s, "
				+ "plus one interval, 1s, plus start-up of the run).");
	}

	static String measure(String scenario, Replicas replicas, int seconds) throws Exception {
		long transactions = transactions();
		double[] operations = replicas.operations();
		int runs = replicas.runs();
		long start = System.nanoTime();
		Thread.sleep(seconds * 1000L);
		double elapsed = (System.nanoTime() - start) / 1e9;
		long transactionsAfter = transactions();
		double[] operationsAfter = replicas.operations();
		int runsDone = replicas.runs() - runs;
		double perSecond = (transactionsAfter - transactions) / elapsed;
		double opsPerSecond = (operationsAfter[0] - operations[0]) / elapsed;
		String perRun = (runsDone > 0) ? String.format(Locale.ROOT, "%.1f transactions, %d runs",
				(transactionsAfter - transactions) / (double) runsDone, runsDone) : "no run";
		System.err.println(scenario + ": " + perSecond + " tx/s, " + replicas.breakdown());
		return String.format(Locale.ROOT, "| %s | %d | %.0fs | %.2f | %.2f | %s |", scenario, replicas.alive.size(),
				elapsed, perSecond, opsPerSecond, perRun);
	}

	static long transactions() throws Exception {
		// Statistics reach pg_stat_database within a second of a transaction's end
		Thread.sleep(1200);
		return Long.parseLong(psql("test", "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '"
				+ DATABASE + "'").strip());
	}

	static void recreateDatabase() throws Exception {
		psql("test", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
		psql("test", "CREATE DATABASE " + DATABASE);
	}

	static String psql(String database, String sql) throws Exception {
		Process process = new ProcessBuilder("psql", "-h", host, "-p", pgPort, "-U", "postgres", "-d", database, "-Atc",
				sql).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("psql failed: " + output);
		}
		return output;
	}

	static final class Replicas implements AutoCloseable {

		final List<Replica> all = new ArrayList<>();

		final List<Replica> alive = new ArrayList<>();

		static Replicas start(int count, String interval, String duration, String lease) throws Exception {
			Replicas replicas = new Replicas();
			for (int i = 1; i <= count; i++) {
				replicas.all.add(Replica.start(i, interval, duration, lease));
			}
			for (Replica replica : replicas.all) {
				replica.awaitReady();
			}
			replicas.alive.addAll(replicas.all);
			return replicas;
		}

		int runs() {
			return this.alive.stream().mapToInt(Replica::started).sum();
		}

		void awaitRuns(int runs) throws InterruptedException {
			long deadline = System.nanoTime() + 60_000_000_000L;
			while (runs() < runs && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
		}

		Replica awaitHolder() throws InterruptedException {
			int[] before = this.alive.stream().mapToInt(Replica::started).toArray();
			while (true) {
				for (int i = 0; i < this.alive.size(); i++) {
					if (this.alive.get(i).started() > before[i]) {
						return this.alive.get(i);
					}
				}
				Thread.sleep(5);
			}
		}

		long awaitNewRun(int[] before, long since) throws InterruptedException {
			long deadline = since + 60_000_000_000L;
			while (System.nanoTime() < deadline) {
				for (int i = 0; i < this.alive.size(); i++) {
					if (this.alive.get(i).started() > before[i]) {
						return (System.nanoTime() - since) / 1_000_000;
					}
				}
				Thread.sleep(5);
			}
			throw new IllegalStateException("no take-over within 60s");
		}

		double[] operations() throws Exception {
			double total = 0;
			for (Replica replica : this.alive) {
				total += replica.operations().values().stream().mapToDouble(Double::doubleValue).sum();
			}
			return new double[] { total };
		}

		String breakdown() throws Exception {
			java.util.Map<String, Double> sum = new java.util.TreeMap<>();
			for (Replica replica : this.alive) {
				replica.operations().forEach((key, value) -> sum.merge(key, value, Double::sum));
			}
			return sum.toString();
		}

		@Override
		public void close() throws Exception {
			for (Replica replica : this.all) {
				replica.process.destroy();
			}
			for (Replica replica : this.all) {
				if (!replica.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
					replica.process.destroyForcibly().waitFor();
				}
			}
		}

	}

	static final class Replica {

		final Process process;

		final Path log;

		int port;

		Replica(Process process, Path log) {
			this.process = process;
			this.log = log;
		}

		static Replica start(int number, String interval, String duration, String lease) throws IOException {
			Path directory = Files.createDirectories(work.resolve("replica-" + number + "-" + System.nanoTime()));
			Path log = directory.resolve("app.log");
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
					"-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString(), "--server.port=0",
					"--clambake.state.url=jdbc:postgresql://" + host + ":" + pgPort + "/" + DATABASE,
					"--clambake.state.username=postgres", "--clambake.lease.holder=replica-" + number,
					"--sample.job.interval=" + interval, "--sample.job.duration=" + duration,
					"--sample.job.lease-duration=" + lease));
			ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().keySet().removeIf((name) -> name.startsWith("CLAMBAKE_"));
			return new Replica(builder.start(), log);
		}

		void awaitReady() throws Exception {
			long deadline = System.nanoTime() + 120_000_000_000L;
			while (System.nanoTime() < deadline) {
				Matcher matcher = PORT.matcher(output());
				if (output().contains("Started SampleApplication") && matcher.find()) {
					this.port = Integer.parseInt(matcher.group(1));
					return;
				}
				if (!this.process.isAlive()) {
					throw new IllegalStateException("replica exited:\n" + output());
				}
				Thread.sleep(100);
			}
			throw new IllegalStateException("replica not ready:\n" + output());
		}

		String output() {
			try {
				return Files.readString(this.log);
			}
			catch (IOException ex) {
				return "";
			}
		}

		int started() {
			return (int) output().lines().filter((line) -> line.contains(" started, working for ")).count();
		}

		java.util.Map<String, Double> operations() throws Exception {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString());
			java.util.Map<String, Double> operations = new java.util.TreeMap<>();
			Matcher matcher = OPERATION.matcher(response.body());
			while (matcher.find()) {
				operations.merge(matcher.group(1) + "/" + matcher.group(2), Double.parseDouble(matcher.group(3)),
						Double::sum);
			}
			return operations;
		}

	}

}
