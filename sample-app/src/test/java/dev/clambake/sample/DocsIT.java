package dev.clambake.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command the README and the pages in {@code docs/} give, run, so the documentation
 * cannot drift from the code. A fenced block tagged {@code bash} holds commands: its
 * {@code curl} lines run in order (README first, then the pages alphabetically) against one
 * sample app started from its jar with its default configuration, {@code http://localhost:8080}
 * standing for the app's real address, and must answer 2xx, or the status a trailing
 * {@code # NNN} comment names; {@code promtool} lines run from the repository root; the
 * README's {@code ./mvnw ... spring-boot:run} commands start the sample app on a free port; any
 * other {@code ./mvnw} command must be one {@code .ci/run} runs. Any other command fails the test.
 * A scrape of {@code /actuator/prometheus} that fails is read again for a few seconds, as a
 * Prometheus server would scrape again, since the request it looks for may still be finishing.
 */
class DocsIT {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```");

	private static final Pattern EXPECTED_STATUS = Pattern.compile("#\\s*(\\d{3})\\b[^'\"]*$");

	private static final Pattern STATUS = Pattern.compile("DOCS_STATUS=(\\d{3})");

	private static final Duration SCRAPE_SETTLE_TIME = Duration.ofSeconds(5);

	private static final Pattern PORT_ARGUMENT = Pattern.compile("--server\\.port=\\d+");

	// Each curl call reports its status on standard error, whatever the command does with its output
	private static final String CURL = "curl() { command curl --silent --show-error --max-time 30 "
			+ "--write-out '%{stderr}DOCS_STATUS=%{http_code}\\n' \"$@\"; }\n";

	@Test
	void everyCurlAndPromtoolCommandInTheDocsRuns(@TempDir Path workingDirectory) throws Exception {
		List<Command> commands = commands();
		assertThat(commands).filteredOn((command) -> command.text().startsWith("curl"))
			.as("curl examples in the README and docs/")
			.hasSizeGreaterThan(20);
		List<String> failures = new ArrayList<>();
		try (SampleAppProcess app = SampleAppProcess.in(workingDirectory).startAndAwaitReady()) {
			String baseUrl = "http://127.0.0.1:" + app.port();
			for (Command command : commands) {
				if (command.text().startsWith("curl")) {
					runCurl(command, baseUrl, failures);
				}
				else if (command.text().startsWith("promtool ")) {
					Result result = run(command.text(), Duration.ofSeconds(60));
					if (result.exitCode() != 0) {
						failures.add(command + ": exit " + result.exitCode() + "\n" + result.output());
					}
				}
				else if (!command.text().startsWith("./mvnw ")) {
					failures.add(command + ": not a command this test runs (curl, promtool or the README's ./mvnw)");
				}
			}
		}
		assertThat(failures).as("documented commands that failed").isEmpty();
	}

	@Test
	void everyMavenCommandInTheDocsRunsHereOrInContinuousIntegration() throws Exception {
		String ci = Files.readString(ROOT.resolve(".ci/run"), StandardCharsets.UTF_8);
		Map<String, Command> runCommands = new LinkedHashMap<>();
		for (Command command : commands()) {
			if (!command.text().startsWith("./mvnw ")) {
				continue;
			}
			if (command.text().contains("spring-boot:run")) {
				// One run per command shape: with and without a port override start the same app
				runCommands.putIfAbsent(PORT_ARGUMENT.matcher(command.text()).replaceAll("").trim(), command);
			}
			else {
				assertThat(ci).as(command + " is run by .ci/run").contains(command.text());
			}
		}
		assertThat(runCommands).as("the README's command that runs the sample app").isNotEmpty();
		for (Command command : runCommands.values()) {
			assertStartsTheSampleApp(command);
		}
	}

	private void runCurl(Command command, String baseUrl, List<String> failures) throws Exception {
		String script = CURL + command.text().replace("http://localhost:8080", baseUrl);
		Result result = run(script, Duration.ofSeconds(60));
		// A request is measured when the server finishes the exchange, which can be just after the
		// client has its response: a scrape read straight after may not count it yet
		Instant scrapeDeadline = Instant.now().plus(SCRAPE_SETTLE_TIME);
		while (result.exitCode() != 0 && command.text().contains("/actuator/prometheus")
				&& Instant.now().isBefore(scrapeDeadline)) {
			Thread.sleep(200);
			result = run(script, Duration.ofSeconds(60));
		}
		List<String> statuses = new ArrayList<>();
		Matcher status = STATUS.matcher(result.output());
		while (status.find()) {
			statuses.add(status.group(1));
		}
		Matcher expected = EXPECTED_STATUS.matcher(command.text());
		String expectedStatus = expected.find() ? expected.group(1) : null;
		boolean statusesAsExpected = !statuses.isEmpty() && statuses.stream()
			.allMatch((actual) -> (expectedStatus != null) ? actual.equals(expectedStatus) : actual.startsWith("2"));
		if (result.exitCode() != 0 || !statusesAsExpected) {
			failures.add(command + ": exit " + result.exitCode() + ", statuses " + statuses + "\n" + result.output());
		}
	}

	private void assertStartsTheSampleApp(Command command) throws Exception {
		int port = freePort();
		String text = command.text();
		text = PORT_ARGUMENT.matcher(text).find() ? PORT_ARGUMENT.matcher(text).replaceAll("--server.port=" + port)
				: text + " -Dspring-boot.run.arguments=--server.port=" + port;
		// The Spring Boot line this build tests, and only the sample app's logs to wait for
		text += " -q -Dspring-boot.version=" + System.getProperty("spring-boot.version", "4.1.2");
		Path output = Files.createTempFile("docs-run", ".log");
		Process process = new ProcessBuilder("bash", "-c", text).directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			Instant deadline = Instant.now().plusSeconds(240);
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello"))
				.timeout(Duration.ofSeconds(5))
				.build();
			while (true) {
				assertThat(process.isAlive()).as(command + " ended before the app answered:\n" + Files.readString(output))
					.isTrue();
				assertThat(Instant.now()).as(command + " did not start the app:\n" + Files.readString(output))
					.isBefore(deadline);
				try {
					HttpResponse<String> response = http.send(hello, HttpResponse.BodyHandlers.ofString());
					assertThat(response.statusCode()).as(command + " /api/hello").isEqualTo(200);
					break;
				}
				catch (IOException ex) {
					Thread.sleep(500);
				}
			}
		}
		finally {
			process.descendants().forEach(ProcessHandle::destroy);
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
			}
			Files.deleteIfExists(output);
		}
	}

	/**
	 * The commands of every {@code bash} block, README first, then the pages alphabetically,
	 * lines continued with a trailing backslash joined.
	 */
	static List<Command> commands() throws IOException {
		List<Path> files = new ArrayList<>();
		files.add(ROOT.resolve("README.md"));
		try (var pages = Files.list(ROOT.resolve("docs"))) {
			pages.filter((page) -> page.toString().endsWith(".md")).sorted().forEach(files::add);
		}
		List<Command> commands = new ArrayList<>();
		for (Path file : files) {
			String markdown = Files.readString(file, StandardCharsets.UTF_8);
			Matcher block = BASH_BLOCK.matcher(markdown);
			while (block.find()) {
				int line = (int) markdown.substring(0, block.start(1)).lines().count() + 1;
				StringBuilder pending = new StringBuilder();
				int startLine = line;
				for (String text : block.group(1).split("\n", -1)) {
					if (pending.isEmpty()) {
						startLine = line;
					}
					line++;
					if (text.endsWith("\\")) {
						pending.append(text, 0, text.length() - 1).append(' ');
						continue;
					}
					pending.append(text);
					String command = pending.toString().trim();
					pending.setLength(0);
					if (!command.isEmpty() && !command.startsWith("#")) {
						commands.add(new Command(ROOT.relativize(file) + ":" + startLine, command));
					}
				}
			}
		}
		return commands;
	}

	private static Result run(String script, Duration timeout) throws IOException, InterruptedException {
		Path output = Files.createTempFile("docs-command", ".log");
		try {
			Process process = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
				return new Result(-1, "timed out after " + timeout + "\n" + Files.readString(output));
			}
			return new Result(process.exitValue(), Files.readString(output));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	record Command(String location, String text) {

		@Override
		public String toString() {
			return this.location + ": " + this.text;
		}

	}

	record Result(int exitCode, String output) {
	}

}
