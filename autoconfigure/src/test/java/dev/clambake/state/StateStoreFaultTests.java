package dev.clambake.state;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clambake.testsupport.FaultProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Faults of the store's database: PostgreSQL behind a {@link FaultProxy} that refuses,
 * black-holes, freezes or cuts connections, and an SQLite file made read-only. Every wait is
 * bounded by a time-out of one or two seconds, and every fault heals without a new store.
 */
@ExtendWith(OutputCaptureExtension.class)
class StateStoreFaultTests {

	private static final Duration GENEROUS = Duration.ofSeconds(8);

	@TempDir
	Path directory;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<ClambakeStateProperties> schemas = new ArrayList<>();

	private final List<Path> immutable = new ArrayList<>();

	private final AtomicInteger keys = new AtomicInteger();

	@AfterEach
	void cleanUp() throws Exception {
		for (Path path : this.immutable) {
			chattr("-i", path);
		}
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		for (ClambakeStateProperties properties : this.schemas) {
			TestDatabases.postgres().dropSchemaOf(properties);
		}
	}

	@Test
	void startUpFailsFastNamingTheMaskedUrlWhenPostgresqlRefuses() throws Exception {
		FaultProxy proxy = proxy();
		ClambakeStateProperties properties = throughProxy(proxy);
		properties.setUrl(properties.getUrl() + "&password=hunter2");
		proxy.refuse();
		long start = System.nanoTime();
		Throwable failure = catchThrowable(() -> JdbcStateStore.open(properties, List.of()));
		assertThat(elapsed(start)).isLessThan(GENEROUS);
		assertThat(failure).isInstanceOf(StateStoreStartupException.class);
		StateStoreStartupException startup = (StateStoreStartupException) failure;
		assertThat(startup.getDescription()).contains("127.0.0.1:" + proxy.port())
			.contains("password=******")
			.doesNotContain("hunter2")
			.contains("refused");
		assertThat(startup.getAction()).contains("clambake.state.connect-timeout")
			.contains("clambake.state.enabled=false");
	}

	@Test
	void startUpFailsWithinTheConnectTimeoutWhenPostgresqlNeverAnswers() throws Exception {
		FaultProxy proxy = proxy();
		proxy.blackHole();
		assertStartUpTimesOut(throughProxy(proxy));
	}

	@Test
	void startUpFailsWithinTheConnectTimeoutWhenTheHandshakeFreezes() throws Exception {
		FaultProxy proxy = proxy();
		proxy.freeze();
		assertStartUpTimesOut(throughProxy(proxy));
	}

	@Test
	void aFrozenDatabaseFailsAWriteAsUnavailableWithinTheSocketTimeoutThenRecovers() throws Exception {
		FaultProxy proxy = proxy();
		JdbcStateStore store = open(throughProxy(proxy));
		store.create("tasks", "before", "{}");
		proxy.freeze();
		long start = System.nanoTime();
		assertThatExceptionOfType(StateStoreUnavailableException.class)
			.isThrownBy(() -> store.create("tasks", "frozen", "{}"));
		assertThat(elapsed(start)).isLessThan(GENEROUS);
		proxy.pass();
		awaitWorking(store);
		assertThat(store.get("tasks", "before")).isPresent();
	}

	@Test
	void aBlackHoledDatabaseFailsReadsAsUnavailableThenRecovers() throws Exception {
		FaultProxy proxy = proxy();
		JdbcStateStore store = open(throughProxy(proxy));
		store.create("tasks", "before", "{}");
		proxy.cut();
		proxy.blackHole();
		long start = System.nanoTime();
		assertThatExceptionOfType(StateStoreUnavailableException.class)
			.isThrownBy(() -> store.get("tasks", "before"));
		assertThat(elapsed(start)).isLessThan(GENEROUS);
		assertThat(new StateStoreHealthIndicator(store).health().getStatus()).isEqualTo(Status.DOWN);
		proxy.pass();
		awaitWorking(store);
		assertThat(new StateStoreHealthIndicator(store).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aStatementTheServerCannotFinishIsCancelledAfterTheStatementTimeout() throws Exception {
		FaultProxy proxy = proxy();
		ClambakeStateProperties properties = throughProxy(proxy);
		properties.setSocketTimeout(Duration.ofSeconds(30));
		JdbcStateStore store = open(properties);
		StateRecord record = store.create("tasks", "locked", "{}");
		String schema = properties.getUrl().substring(properties.getUrl().indexOf("currentSchema=") + 14);
		try (Connection locker = TestDatabases.postgres().connect(schema);
				Statement statement = locker.createStatement()) {
			locker.setAutoCommit(false);
			statement.execute("LOCK TABLE clambake_state IN ACCESS EXCLUSIVE MODE");
			long start = System.nanoTime();
			assertThatExceptionOfType(StateStoreUnavailableException.class)
				.isThrownBy(() -> store.replace("tasks", "locked", "{\"a\":1}", record.version(), null))
				.withMessageContaining("clambake.state.statement-timeout");
			// Cancelled by the server after 1s, long before the 30s socket time-out
			assertThat(elapsed(start)).isLessThan(GENEROUS);
			locker.rollback();
		}
		assertThat(store.replace("tasks", "locked", "{\"a\":1}", record.version(), null).version()).isEqualTo(2);
	}

	@Test
	void aCutConnectionFailsClearlyAndALaterCallSucceeds() throws Exception {
		FaultProxy proxy = proxy();
		JdbcStateStore store = open(throughProxy(proxy));
		store.create("tasks", "before", "{}");
		// Black-holed rather than refused: a port that stops listening can be taken, while the
		// pool retries, by a connection of its own to itself, and could not be bound again
		proxy.cut();
		proxy.blackHole();
		long start = System.nanoTime();
		assertThatExceptionOfType(StateStoreUnavailableException.class)
			.isThrownBy(() -> store.create("tasks", "during", "{}"));
		assertThat(elapsed(start)).isLessThan(GENEROUS);
		proxy.pass();
		awaitWorking(store);
		// A cut alone heals on the next connection; whatever fails meanwhile fails as unavailable
		proxy.cut();
		Awaitility.await().atMost(GENEROUS).untilAsserted(() -> {
			try {
				store.create("tasks", "after-cut-" + this.keys.incrementAndGet(), "{}");
			}
			catch (StateStoreException ex) {
				assertThat(ex).isInstanceOf(StateStoreUnavailableException.class);
				throw new AssertionError("still failing", ex);
			}
		});
	}

	@Test
	void aReadOnlySqliteFileIsDownWithTheReasonAndHealsWhenWritableAgain(CapturedOutput output) throws Exception {
		Path databaseDirectory = Files.createDirectories(this.directory.resolve("read-only"));
		Path file = databaseDirectory.resolve("state.db");
		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl("jdbc:sqlite:" + file);
		JdbcStateStore first = JdbcStateStore.open(properties, List.of());
		first.create("tasks", "before", "{}");
		first.close();
		makeReadOnly(file);
		JdbcStateStore store = open(properties);
		assertThat(output).contains("The state store at jdbc:sqlite:" + file + " cannot write");
		Health health = new StateStoreHealthIndicator(store).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("reason", "the database file is read-only");
		assertThatExceptionOfType(StateStoreUnavailableException.class)
			.isThrownBy(() -> store.create("tasks", "during", "{}"))
			.withMessageContaining("read-only")
			.withMessageContaining("nothing was written");
		assertThat(store.get("tasks", "before")).isPresent();
		makeWritable(file);
		Awaitility.await()
			.atMost(GENEROUS)
			.until(() -> new StateStoreHealthIndicator(store).health().getStatus().equals(Status.UP));
		awaitWorking(store);
	}

	private void assertStartUpTimesOut(ClambakeStateProperties properties) {
		long start = System.nanoTime();
		Throwable failure = catchThrowable(() -> JdbcStateStore.open(properties, List.of()));
		// The connect time-out is 1s; the bound allows for a slow, shared machine
		assertThat(elapsed(start)).isLessThan(GENEROUS);
		assertThat(failure).isInstanceOf(StateStoreStartupException.class);
		StateStoreStartupException startup = (StateStoreStartupException) failure;
		assertThat(startup.getDescription()).contains("clambake.state.url")
			.contains("clambake.state.connect-timeout (1000ms)");
		assertThat(startup.getAction()).contains("raise clambake.state.connect-timeout");
	}

	private void awaitWorking(JdbcStateStore store) {
		Awaitility.await().atMost(GENEROUS).ignoreExceptions().until(() -> {
			store.create("tasks", "recovered-" + this.keys.incrementAndGet(), "{}");
			return true;
		});
	}

	private FaultProxy proxy() throws IOException {
		TestDatabases.Postgres postgres = TestDatabases.postgres();
		String hostAndPort = postgres.url().replaceFirst("^jdbc:postgresql://([^/]+)/.*$", "$1");
		String host = hostAndPort.contains(":") ? hostAndPort.substring(0, hostAndPort.lastIndexOf(':'))
				: hostAndPort;
		int port = hostAndPort.contains(":") ? Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1))
				: 5432;
		FaultProxy proxy = FaultProxy.start(host, port);
		this.closeables.add(proxy);
		return proxy;
	}

	private ClambakeStateProperties throughProxy(FaultProxy proxy) throws SQLException {
		ClambakeStateProperties properties = TestDatabases.postgres().newSchema();
		this.schemas.add(properties);
		ClambakeStateProperties faulty = new ClambakeStateProperties();
		faulty.setUrl(properties.getUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"));
		faulty.setUsername(properties.getUsername());
		faulty.setPassword(properties.getPassword());
		faulty.setConnectTimeout(Duration.ofSeconds(1));
		faulty.setSocketTimeout(Duration.ofSeconds(2));
		faulty.setStatementTimeout(Duration.ofSeconds(1));
		faulty.getPool().setConnectionTimeout(Duration.ofSeconds(1));
		return faulty;
	}

	private JdbcStateStore open(ClambakeStateProperties properties) {
		JdbcStateStore store = JdbcStateStore.open(properties, List.of());
		this.closeables.add(store);
		return store;
	}

	// The directory stays writable: SQLite then opens the file read-only, and in WAL mode
	// still finds room for its shared-memory file, so reads work and writes fail
	private void makeReadOnly(Path file) throws Exception {
		File asFile = file.toFile();
		asFile.setWritable(false);
		if (Files.isWritable(file)) {
			// Root writes to any file mode; an immutable file stops root too
			Assumptions.assumeTrue(chattr("+i", file), "cannot make a file read-only for this user (no chattr)");
			this.immutable.add(file);
		}
	}

	private void makeWritable(Path file) throws Exception {
		for (Path path : List.copyOf(this.immutable)) {
			chattr("-i", path);
			this.immutable.remove(path);
		}
		file.toFile().setWritable(true);
	}

	private static boolean chattr(String flag, Path path) throws Exception {
		try {
			Process process = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
			return process.waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Duration elapsed(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
