package dev.clambake.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM writes to an SQLite store as fast as it can and is killed with SIGKILL: every
 * write it acknowledged is in the reopened store, with its audit record.
 */
class StateStoreDurabilityTests {

	private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

	@TempDir
	Path directory;

	@Test
	void everyAcknowledgedWriteSurvivesSigkillWithItsAuditRecord() throws Exception {
		String url = "jdbc:sqlite:" + this.directory.resolve("data/state.db");
		Path stderr = this.directory.resolve("stderr.txt");
		List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
				"--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
				DurabilityWriter.class.getName(), url);
		Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
		Output output = new Output(child.getInputStream(), ACKNOWLEDGED_BEFORE_KILL);
		try {
			boolean reached = output.enough.await(2, TimeUnit.MINUTES);
			assertThat(reached).as("child acknowledged %d writes; stderr:%n%s", ACKNOWLEDGED_BEFORE_KILL,
					Files.readString(stderr)).isTrue();
		}
		finally {
			child.destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
		output.thread.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
		List<String> acknowledged = output.acknowledgedKeys();
		assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
		assertThat(Files.readString(stderr)).doesNotContain("restricted method");

		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl(url);
		try (JdbcStateStore store = JdbcStateStore.open(properties, List.of())) {
			for (String key : acknowledged) {
				assertThat(store.get("durable", key)).as(key).get().satisfies((record) -> {
					assertThat(record.value()).isEqualTo("{\"key\":\"" + key + "\"}");
					assertThat(record.version()).isEqualTo(1);
				});
				assertThat(store.audit("durable", key, null, 10).items()).as("audit of " + key)
					.singleElement()
					.satisfies((audit) -> {
						assertThat(audit.action()).isEqualTo(StateAuditRecord.Action.CREATED);
						assertThat(audit.actor()).isEqualTo("writer");
					});
			}
		}
	}

	/**
	 * The child's standard output, read on its own thread.
	 */
	private static final class Output {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CountDownLatch enough;

		private final Thread thread;

		Output(InputStream in, int target) {
			this.enough = new CountDownLatch(target);
			this.thread = new Thread(() -> {
				byte[] buffer = new byte[8192];
				StringBuilder line = new StringBuilder();
				try {
					int read;
					while ((read = in.read(buffer)) != -1) {
						synchronized (this.bytes) {
							this.bytes.write(buffer, 0, read);
						}
						for (int i = 0; i < read; i++) {
							if (buffer[i] != '\n') {
								line.append((char) buffer[i]);
								continue;
							}
							if (line.toString().startsWith("ACK ")) {
								this.enough.countDown();
							}
							line.setLength(0);
						}
					}
				}
				catch (IOException ex) {
					// the child was killed
				}
			}, "durability-child-output");
			this.thread.start();
		}

		List<String> acknowledgedKeys() {
			String text;
			synchronized (this.bytes) {
				text = this.bytes.toString(StandardCharsets.UTF_8);
			}
			// A line cut off by the kill has no newline yet: it was not acknowledged
			String complete = text.substring(0, text.lastIndexOf('\n') + 1);
			List<String> keys = new ArrayList<>();
			Arrays.stream(complete.split("\n"))
				.filter((line) -> line.startsWith("ACK "))
				.forEach((line) -> keys.add(line.substring(4)));
			return keys;
		}

	}

}
