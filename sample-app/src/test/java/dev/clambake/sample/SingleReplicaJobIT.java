package dev.clambake.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three sample app processes share one store, on one SQLite file and on the real PostgreSQL
 * (a schema of its own): their single-replica batch job, every second working 600ms under a
 * 6s lease, never runs on two replicas at once, as its records in {@code GET /api/batch-runs}
 * show by the database's clock and by strictly increasing fencing tokens. Along the way the
 * holder is killed with SIGKILL (another replica takes over within the lease duration plus one
 * interval), stopped with SIGSTOP past its lease and resumed (its fenced write is refused and
 * the next run has a higher token), and stopped with SIGTERM (it hands over without waiting
 * for its lease to expire). The two databases are proven side by side: the replicas spend most
 * of the minute waiting for their next run. The class itself runs alone, as every other does.
 */
class SingleReplicaJobIT {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Duration WORK = Duration.ofMillis(600);

	private static final Duration LEASE = Duration.ofSeconds(6);

	private static final Duration OBSERVE = Duration.ofSeconds(25);

	private static final Pattern STARTED = Pattern
		.compile("sample-batch #(\\d+) started, working for \\d+ms \\(fencing token (\\d+), holder ([^)]+)\\)");

	@TempDir
	Path directory;

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void threeReplicasOnOneSqliteFile() throws Exception {
		Path database = Files.createDirectories(this.directory.resolve("shared")).resolve("state.db");
		prove("jdbc:sqlite:" + database, List.of());
	}

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void threeReplicasOnPostgresql() throws Exception {
		String url = System.getenv("TEST_POSTGRES_URL");
		Assumptions.assumeTrue(url != null && !url.isBlank(), "TEST_POSTGRES_URL is not set");
		String user = System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres");
		String password = System.getenv().getOrDefault("TEST_POSTGRES_PASSWORD", "");
		String schema = "clambake_lease_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + schema);
		}
		try {
			List<String> credentials = new ArrayList<>(List.of("--clambake.state.username=" + user));
			if (!password.isEmpty()) {
				credentials.add("--clambake.state.password=" + password);
			}
			prove(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, credentials);
		}
		finally {
			try (Connection connection = DriverManager.getConnection(url, user, password);
					Statement statement = connection.createStatement()) {
				statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	private void prove(String url, List<String> arguments) throws Exception {
		List<SampleAppProcess> replicas = new ArrayList<>();
		try {
			for (int i = 1; i <= 3; i++) {
				SampleAppProcess replica = SampleAppProcess
					.in(Files.createDirectories(this.directory.resolve("replica-" + i)))
					.arg("--clambake.state.url=" + url)
					.arg("--clambake.lease.holder=replica-" + i)
					.arg("--sample.job.interval=" + INTERVAL.toMillis() + "ms")
					.arg("--sample.job.duration=" + WORK.toMillis() + "ms")
					.arg("--sample.job.lease-duration=" + LEASE.toSeconds() + "s");
				arguments.forEach(replica::arg);
				replicas.add(replica.start());
			}
			for (SampleAppProcess replica : replicas) {
				replica.awaitReady();
			}
			List<SampleAppProcess> alive = new ArrayList<>(replicas);
			Thread.sleep(OBSERVE.toMillis());

			// SIGKILL of the holder: another replica takes over once the lease expires
			SampleAppProcess killed = awaitHolder(alive);
			long killedAt = System.nanoTime();
			killed.process().destroyForcibly().waitFor();
			alive.remove(killed);
			Map<SampleAppProcess, Integer> before = startedCounts(alive);
			awaitNewRun(alive, before, LEASE.plus(INTERVAL).plusSeconds(10));
			Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
			assertThat(takeover).as("take-over after SIGKILL").isLessThan(LEASE.plus(INTERVAL).plusMillis(500));

			// SIGSTOP of the holder past its lease: on SIGCONT its fenced write is refused
			SampleAppProcess paused = awaitHolder(alive);
			signal(paused, "STOP");
			Matcher pausedRun = lastStarted(paused);
			long pausedToken = Long.parseLong(pausedRun.group(2));
			Thread.sleep(LEASE.plusSeconds(2).toMillis());
			signal(paused, "CONT");
			paused.awaitOutput((output) -> output.contains("sample-batch #" + pausedRun.group(1) + " record refused"),
					Duration.ofSeconds(20));
			assertThat(paused.lines("sample-batch #" + pausedRun.group(1) + " record refused")).singleElement()
				.asString()
				.contains("WARN")
				.contains("Fenced create refused on lease 'sample-batch': presented token " + pausedToken);
			assertThat(metrics(paused)).containsPattern(
					"clambake_state_operations_total\\{[^}]*operation=\"fenced_create\",outcome=\"fenced\"[^}]*\\} 1\\.0");
			assertThat(runs(alive.get(0))).anySatisfy((run) -> assertThat(run.token()).isGreaterThan(pausedToken));

			// SIGTERM of the holder: its run finishes and the lease is handed over without expiry
			SampleAppProcess stopped = awaitHolder(alive);
			long stoppedToken = Long.parseLong(lastStarted(stopped).group(2));
			stopped.process().destroy();
			assertThat(stopped.awaitExit()).isIn(0, 143);
			alive.remove(stopped);
			SampleAppProcess observer = alive.get(0);
			Run next = awaitRun(observer, (run) -> run.token() > stoppedToken);
			Run last = runs(observer).stream().filter((run) -> run.token() == stoppedToken).findFirst().orElseThrow();
			// Without the release the lease would expire 5.4s after the run ended (no renewal in 600ms)
			assertThat(Duration.between(last.end(), next.start())).as("hand-over after SIGTERM")
				.isLessThan(Duration.ofSeconds(3));

			assertNoOverlap(runs(observer));
		}
		finally {
			for (SampleAppProcess replica : replicas) {
				if (replica.process() != null && replica.process().isAlive()) {
					signal(replica, "CONT");
				}
				replica.close();
			}
		}
	}

	private static void assertNoOverlap(List<Run> runs) {
		// Newest first, so tokens strictly decrease down the list
		for (int i = 1; i < runs.size(); i++) {
			assertThat(runs.get(i).token()).isLessThan(runs.get(i - 1).token());
		}
		List<Run> byStart = new ArrayList<>(runs);
		byStart.sort(Comparator.comparing(Run::start));
		for (int i = 1; i < byStart.size(); i++) {
			Run previous = byStart.get(i - 1);
			Run run = byStart.get(i);
			assertThat(run.start()).as("%s starts after %s ended", run, previous).isAfterOrEqualTo(previous.end());
			assertThat(run.token()).as("%s has a higher token than %s", run, previous).isGreaterThan(previous.token());
		}
		assertThat(runs).hasSizeGreaterThan(10);
		assertThat(runs).extracting(Run::replica).hasSizeGreaterThan(1);
	}

	private static SampleAppProcess awaitHolder(List<SampleAppProcess> replicas) {
		Instant deadline = Instant.now().plus(LEASE.multipliedBy(3));
		Map<SampleAppProcess, Integer> before = startedCounts(replicas);
		while (Instant.now().isBefore(deadline)) {
			for (SampleAppProcess replica : replicas) {
				if (started(replica) > before.get(replica)) {
					return replica;
				}
			}
			sleep(10);
		}
		throw new IllegalStateException("No replica started a batch");
	}

	private static void awaitNewRun(List<SampleAppProcess> replicas, Map<SampleAppProcess, Integer> before,
			Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			for (SampleAppProcess replica : replicas) {
				if (started(replica) > before.get(replica)) {
					return;
				}
			}
			sleep(20);
		}
		throw new IllegalStateException("No replica took over within " + timeout);
	}

	private static Map<SampleAppProcess, Integer> startedCounts(List<SampleAppProcess> replicas) {
		Map<SampleAppProcess, Integer> counts = new HashMap<>();
		replicas.forEach((replica) -> counts.put(replica, started(replica)));
		return counts;
	}

	private static int started(SampleAppProcess replica) {
		return replica.lines(" started, working for ").size();
	}

	private static Matcher lastStarted(SampleAppProcess replica) {
		List<String> lines = replica.lines(" started, working for ");
		Matcher matcher = STARTED.matcher(lines.get(lines.size() - 1));
		assertThat(matcher.find()).isTrue();
		return matcher;
	}

	private static Run awaitRun(SampleAppProcess replica, Predicate<Run> condition) throws Exception {
		Instant deadline = Instant.now().plus(LEASE.multipliedBy(3));
		while (Instant.now().isBefore(deadline)) {
			for (Run run : runs(replica)) {
				if (condition.test(run)) {
					return run;
				}
			}
			sleep(100);
		}
		throw new IllegalStateException("No such run: " + runs(replica));
	}

	private static List<Run> runs(SampleAppProcess replica) throws IOException, InterruptedException {
		List<Run> runs = new ArrayList<>();
		String path = "/api/batch-runs?pageSize=50";
		for (int pages = 0; pages < 100; pages++) {
			HttpResponse<String> response = replica.get(path);
			assertThat(response.statusCode()).isEqualTo(200);
			Map<String, Object> page = JsonParserFactory.getJsonParser().parseMap(response.body());
			for (Object item : (List<?>) page.get("items")) {
				Map<?, ?> run = (Map<?, ?>) item;
				runs.add(new Run((String) run.get("replica"), ((Number) run.get("token")).longValue(),
						Instant.parse((String) run.get("start")), Instant.parse((String) run.get("end"))));
			}
			Object next = page.get("nextPageToken");
			if (next == null) {
				return runs;
			}
			path = "/api/batch-runs?pageSize=50&pageToken=" + next;
		}
		throw new IllegalStateException("Too many pages");
	}

	private static String metrics(SampleAppProcess replica) throws IOException, InterruptedException {
		return replica.get("/actuator/prometheus").body();
	}

	private static void signal(SampleAppProcess replica, String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(replica.process().pid())).start();
		assertThat(kill.waitFor()).isZero();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Run(String replica, long token, Instant start, Instant end) {

	}

}
