package dev.clambake.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample app's jar run as a real child process: its own working directory, real
 * environment variables (none of the test run's {@code CLAMBAKE_*} variables leak in) and
 * command-line arguments, its output captured to a file.
 */
final class SampleAppProcess implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final Path workingDirectory;

	private final Map<String, String> environment = new LinkedHashMap<>();

	private final List<String> arguments = new ArrayList<>(List.of("--server.port=0"));

	// C1 only: the app starts sooner and no C2 compiler threads compete with the tests for CPU;
	// nothing here measures peak performance
	private final List<String> jvmArguments = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Process process;

	private Path log;

	private int port;

	private SampleAppProcess(Path workingDirectory) {
		this.workingDirectory = workingDirectory;
	}

	static SampleAppProcess in(Path workingDirectory) {
		return new SampleAppProcess(workingDirectory);
	}

	SampleAppProcess env(String name, String value) {
		this.environment.put(name, value);
		return this;
	}

	SampleAppProcess jvmArg(String argument) {
		this.jvmArguments.add(argument);
		return this;
	}

	SampleAppProcess arg(String argument) {
		this.arguments.add(argument);
		return this;
	}

	SampleAppProcess start() {
		String jar = System.getProperty("sample.jar");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("System property sample.jar must name the built sample app jar: " + jar);
		}
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(this.jvmArguments);
		command.add("-jar");
		command.add(jar);
		command.addAll(this.arguments);
		this.log = this.workingDirectory.resolve("app.log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("CLAMBAKE_"));
		builder.environment().putAll(this.environment);
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	/**
	 * Start and wait until the application is ready to serve.
	 */
	SampleAppProcess startAndAwaitReady() {
		start();
		return awaitReady();
	}

	/**
	 * Wait until a started application is ready to serve.
	 */
	SampleAppProcess awaitReady() {
		awaitOutput((output) -> output.contains("Started SampleApplication"), START_TIMEOUT);
		Matcher matcher = PORT.matcher(output());
		if (!matcher.find()) {
			throw new IllegalStateException("No port in output:\n" + output());
		}
		this.port = Integer.parseInt(matcher.group(1));
		return this;
	}

	/**
	 * Wait for the process to exit on its own and return its exit code.
	 */
	int awaitExit() throws InterruptedException {
		if (!this.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			throw new IllegalStateException("Process did not exit:\n" + output());
		}
		return this.process.exitValue();
	}

	void awaitOutput(Predicate<String> condition, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.test(output())) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"Process exited with " + this.process.exitValue() + " before it was ready:\n" + output());
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("Timed out waiting for the process:\n" + output());
			}
			sleep(50);
		}
	}

	String output() {
		try {
			return Files.exists(this.log) ? Files.readString(this.log, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the output lines that contain the given text.
	 */
	List<String> lines(String containing) {
		return output().lines().filter((line) -> line.contains(containing)).toList();
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * GET the path with the given request headers.
	 */
	HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Send a request with a method, an optional JSON body and header name/value pairs.
	 */
	HttpResponse<String> send(String method, String path, String jsonBody, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, (jsonBody != null) ? HttpRequest.BodyPublishers.ofString(jsonBody)
					: HttpRequest.BodyPublishers.noBody());
		if (jsonBody != null) {
			request.header("Content-Type", "application/json");
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	int port() {
		return this.port;
	}

	Process process() {
		return this.process;
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
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

}
