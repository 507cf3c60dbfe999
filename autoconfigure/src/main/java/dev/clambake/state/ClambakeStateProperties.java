package dev.clambake.state;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Properties of the state store.
 */
@ConfigurationProperties("clambake.state")
public class ClambakeStateProperties {

	/**
	 * Default JDBC URL: an SQLite file under ./data/ in the working directory.
	 */
	public static final String DEFAULT_URL = "jdbc:sqlite:./data/clambake-state.db";

	/**
	 * Whether the state store is enabled; it is off unless switched on.
	 */
	private boolean enabled = false;

	/**
	 * JDBC URL of the store's own database: jdbc:sqlite:<file> or jdbc:postgresql://<host>/<db>.
	 */
	private String url = DEFAULT_URL;

	/**
	 * User name for the store's database, when it needs one.
	 */
	private @Nullable String username;

	/**
	 * Password for the store's database, when it needs one.
	 */
	private @Nullable String password;

	/**
	 * Largest JSON document the store accepts, measured in UTF-8 bytes.
	 */
	private DataSize maxValueSize = DataSize.ofKilobytes(256);

	/**
	 * How long closing the store waits for operations in progress before closing its pool.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * How long opening a connection to PostgreSQL may take, TCP connect and log-in together;
	 * start-up fails within this time when the database refuses, never answers or stalls.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * How long a PostgreSQL connection waits for the next byte from the server before it is
	 * dropped; keep it longer than the statement timeout so the server can cancel first.
	 */
	private Duration socketTimeout = Duration.ofSeconds(15);

	/**
	 * How long the PostgreSQL server lets one statement of the store run before cancelling it.
	 */
	private Duration statementTimeout = Duration.ofSeconds(10);

	/**
	 * Retry-After sent with the 503 answer when the store is unavailable.
	 */
	private Duration retryAfter = Duration.ofSeconds(5);

	/**
	 * What start-up does when the store's database is unavailable: fail within the connect
	 * timeout, or start with the store not ready and keep connecting in the background.
	 */
	private OnStartUpUnavailable onStartUpUnavailable = OnStartUpUnavailable.FAIL;

	private final Pool pool = new Pool();

	private final Sqlite sqlite = new Sqlite();

	private final BusyRetry busyRetry = new BusyRetry();

	/**
	 * The gauge of records per namespace.
	 */
	private final Documents documents = new Documents();

	public Documents getDocuments() {
		return this.documents;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		Assert.isTrue(url != null && (url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:")),
				"must start with jdbc:sqlite: or jdbc:postgresql:");
		this.url = url;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	public void setMaxValueSize(DataSize maxValueSize) {
		Assert.isTrue(maxValueSize.toBytes() > 0, "must be positive");
		Assert.isTrue(maxValueSize.toBytes() <= DataSize.ofMegabytes(64).toBytes(), "must be at most 64MB");
		this.maxValueSize = maxValueSize;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		Assert.isTrue(!shutdownTimeout.isNegative(), "must not be negative");
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		Assert.isTrue(connectTimeout.toMillis() >= 1000, "must be at least 1s");
		Assert.isTrue(connectTimeout.toSeconds() <= Integer.MAX_VALUE, "is too long");
		this.connectTimeout = connectTimeout;
	}

	public Duration getSocketTimeout() {
		return this.socketTimeout;
	}

	public void setSocketTimeout(Duration socketTimeout) {
		Assert.isTrue(socketTimeout.toMillis() >= 1000, "must be at least 1s");
		Assert.isTrue(socketTimeout.toSeconds() <= Integer.MAX_VALUE, "is too long");
		this.socketTimeout = socketTimeout;
	}

	public Duration getStatementTimeout() {
		return this.statementTimeout;
	}

	public void setStatementTimeout(Duration statementTimeout) {
		Assert.isTrue(statementTimeout.toMillis() >= 100, "must be at least 100ms");
		Assert.isTrue(statementTimeout.toMillis() <= Integer.MAX_VALUE, "is too long");
		this.statementTimeout = statementTimeout;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		Assert.isTrue(!retryAfter.isNegative(), "must not be negative");
		this.retryAfter = retryAfter;
	}

	public OnStartUpUnavailable getOnStartUpUnavailable() {
		return this.onStartUpUnavailable;
	}

	public void setOnStartUpUnavailable(OnStartUpUnavailable onStartUpUnavailable) {
		this.onStartUpUnavailable = onStartUpUnavailable;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Sqlite getSqlite() {
		return this.sqlite;
	}

	public BusyRetry getBusyRetry() {
		return this.busyRetry;
	}

	/**
	 * The store's own connection pool.
	 */
	public static class Pool {

		/**
		 * Largest number of connections the store's pool holds.
		 */
		private int maximumSize = 8;

		/**
		 * How long an operation waits for a connection before it fails as unavailable.
		 */
		private Duration connectionTimeout = Duration.ofSeconds(5);

		public int getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(int maximumSize) {
			Assert.isTrue(maximumSize >= 1 && maximumSize <= 1000, "must be between 1 and 1000");
			this.maximumSize = maximumSize;
		}

		public Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(Duration connectionTimeout) {
			Assert.isTrue(connectionTimeout.toMillis() >= 250, "must be at least 250ms");
			this.connectionTimeout = connectionTimeout;
		}

	}

	/**
	 * SQLite settings, used when the URL is a jdbc:sqlite: URL.
	 */
	public static class Sqlite {

		/**
		 * SQLite journal mode; WAL lets readers run alongside the writer.
		 */
		private JournalMode journalMode = JournalMode.WAL;

		/**
		 * How long SQLite itself waits for a lock held by another connection or process.
		 */
		private Duration busyTimeout = Duration.ofSeconds(5);

		/**
		 * SQLite synchronous level; FULL makes every acknowledged write survive power loss.
		 */
		private Synchronous synchronous = Synchronous.FULL;

		public JournalMode getJournalMode() {
			return this.journalMode;
		}

		public void setJournalMode(JournalMode journalMode) {
			this.journalMode = journalMode;
		}

		public Duration getBusyTimeout() {
			return this.busyTimeout;
		}

		public void setBusyTimeout(Duration busyTimeout) {
			Assert.isTrue(!busyTimeout.isNegative(), "must not be negative");
			Assert.isTrue(busyTimeout.toMillis() <= Integer.MAX_VALUE, "is too long");
			this.busyTimeout = busyTimeout;
		}

		public Synchronous getSynchronous() {
			return this.synchronous;
		}

		public void setSynchronous(Synchronous synchronous) {
			this.synchronous = synchronous;
		}

	}

	/**
	 * Retries of operations that found the database busy or locked (SQLite).
	 */
	public static class BusyRetry {

		/**
		 * Attempts in all, the first included, before a busy database is reported as an error.
		 */
		private int maxAttempts = 5;

		/**
		 * Back-off before the first retry; it doubles with each further retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(20);

		/**
		 * Longest back-off between two attempts.
		 */
		private Duration maxBackoff = Duration.ofMillis(500);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			Assert.isTrue(maxAttempts >= 1 && maxAttempts <= 100, "must be between 1 and 100");
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			Assert.isTrue(!initialBackoff.isNegative(), "must not be negative");
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			Assert.isTrue(!maxBackoff.isNegative(), "must not be negative");
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * What start-up does when the store's database is unavailable (refused, unanswered, not
	 * accepting connections). Other failures, such as bad credentials or a migration that
	 * fails, stop start-up either way.
	 */
	public enum OnStartUpUnavailable {

		/**
		 * Start-up fails within the connect timeout, naming the URL and what failed.
		 */
		FAIL,

		/**
		 * The application starts with the store not ready: its operations throw
		 * StateStoreUnavailableException and its health is DOWN until a background thread has
		 * connected and run the store's migrations.
		 */
		START_NOT_READY

	}

	/**
	 * SQLite journal modes the store supports.
	 */
	public enum JournalMode {

		/**
		 * Write-ahead log: readers do not block the writer.
		 */
		WAL,

		/**
		 * Rollback journal, deleted after each transaction.
		 */
		DELETE,

		/**
		 * Rollback journal, truncated after each transaction.
		 */
		TRUNCATE,

		/**
		 * Rollback journal, header zeroed after each transaction.
		 */
		PERSIST

	}

	/**
	 * SQLite synchronous levels.
	 */
	public enum Synchronous {

		/**
		 * No syncs: fast, loses writes on power loss or OS crash.
		 */
		OFF,

		/**
		 * Syncs at critical moments; in WAL mode a power loss may lose the last commits.
		 */
		NORMAL,

		/**
		 * Syncs every commit: an acknowledged write survives power loss.
		 */
		FULL,

		/**
		 * Like FULL, and also syncs the directory after deleting a rollback journal.
		 */
		EXTRA

	}

	/**
	 * The gauge of the store's records per namespace, counted at an interval.
	 */
	public static class Documents {

		/**
		 * Whether the store's records per namespace are counted into the
		 * clambake.state.documents gauge.
		 */
		private boolean enabled = true;

		/**
		 * How often the records per namespace are counted; scrapes read the last count.
		 */
		private Duration interval = Duration.ofSeconds(60);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			Assert.isTrue(!interval.isNegative() && !interval.isZero(), "must be positive");
			this.interval = interval;
		}

	}

}
