package dev.clambake.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app jar as a child process against a PostgreSQL address that accepts connections
 * and never answers: start-up ends on its own within the store's connect time-out, and SIGTERM
 * during start-up ends the process within that bound too, both with a non-zero exit.
 */
class StartupFaultIT {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

	// Generous: the JVM's own start and exit on a busy machine, not the store's wait
	private static final Duration SLACK = Duration.ofSeconds(15);

	private ServerSocket blackHole;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	@BeforeEach
	void openBlackHole() throws IOException {
		this.blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!this.blackHole.isClosed()) {
				try {
					this.accepted.add(this.blackHole.accept());
				}
				catch (IOException ex) {
					// Closed
				}
			}
		}, "black-hole");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@AfterEach
	void closeBlackHole() throws IOException {
		this.blackHole.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

	@Test
	void startUpAgainstADatabaseThatNeverAnswersFailsWithinTheConnectTimeout(@TempDir Path dir) throws Exception {
		try (SampleAppProcess app = blackHoledStore(dir).start()) {
			app.awaitOutput((output) -> output.contains("clambake-state - Starting"), Duration.ofSeconds(90));
			long waiting = System.nanoTime();
			assertThat(app.process().waitFor(CONNECT_TIMEOUT.plus(SLACK).toSeconds(), TimeUnit.SECONDS))
				.as("exited on its own").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - waiting)).isLessThan(CONNECT_TIMEOUT.plus(SLACK));
			assertThat(app.process().exitValue()).isNotZero();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("clambake.state.connect-timeout")
				.doesNotContain("never-shown-secret");
			assertThat(this.accepted).isNotEmpty();
		}
	}

	@Test
	void sigtermDuringStartUpEndsTheProcessWithinTheConnectTimeout(@TempDir Path dir) throws Exception {
		try (SampleAppProcess app = blackHoledStore(dir).start()) {
			app.awaitOutput((output) -> output.contains("clambake-state - Starting"), Duration.ofSeconds(90));
			long sigterm = System.nanoTime();
			app.process().destroy();
			assertThat(app.process().waitFor(CONNECT_TIMEOUT.plus(SLACK).toSeconds(), TimeUnit.SECONDS))
				.as("exited after SIGTERM").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).isLessThan(CONNECT_TIMEOUT.plus(SLACK));
			assertThat(app.process().exitValue()).isNotZero();
		}
	}

	private SampleAppProcess blackHoledStore(Path dir) {
		return SampleAppProcess.in(dir)
			.arg("--clambake.state.url=jdbc:postgresql://127.0.0.1:" + this.blackHole.getLocalPort()
					+ "/test?user=postgres&password=never-shown-secret")
			.arg("--clambake.state.connect-timeout=" + CONNECT_TIMEOUT.toSeconds() + "s");
	}

}
