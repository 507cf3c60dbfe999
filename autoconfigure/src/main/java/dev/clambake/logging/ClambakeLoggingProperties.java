package dev.clambake.logging;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Properties of the logging capability. Logging starts before the application context, so
 * these are also read directly from the environment at start-up.
 */
@ConfigurationProperties(ClambakeLoggingProperties.PREFIX)
public class ClambakeLoggingProperties {

	static final String PREFIX = "clambake.logging";

	/**
	 * Whether Clambake chooses the console format and writes the optional log files.
	 */
	private boolean enabled = true;

	/**
	 * Console format: auto (JSON in staging, production and on Kubernetes), json or text.
	 */
	private LogFormat format = LogFormat.AUTO;

	private final File file = new File();

	/**
	 * Log events exported over OTLP.
	 */
	private final Otlp otlp = new Otlp();

	public Otlp getOtlp() {
		return this.otlp;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public LogFormat getFormat() {
		return this.format;
	}

	public void setFormat(LogFormat format) {
		this.format = format;
	}

	public File getFile() {
		return this.file;
	}

	/**
	 * The optional JSON log files: application, errors only, and slow operations.
	 */
	public static class File {

		/**
		 * Directory for application.log, errors.log and performance.log; no files when not set.
		 */
		private @Nullable Path dir;

		/**
		 * Days of rolled log files to keep.
		 */
		private int maxHistory = 7;

		/**
		 * Largest total size of each log's rolled files; the oldest are deleted first.
		 */
		private DataSize totalSizeCap = DataSize.ofGigabytes(1);

		public @Nullable Path getDir() {
			return this.dir;
		}

		public void setDir(@Nullable Path dir) {
			this.dir = dir;
		}

		public int getMaxHistory() {
			return this.maxHistory;
		}

		public void setMaxHistory(int maxHistory) {
			Assert.isTrue(maxHistory >= 1, "must be at least 1");
			this.maxHistory = maxHistory;
		}

		public DataSize getTotalSizeCap() {
			return this.totalSizeCap;
		}

		public void setTotalSizeCap(DataSize totalSizeCap) {
			Assert.isTrue(totalSizeCap.toBytes() > 0, "must be positive");
			this.totalSizeCap = totalSizeCap;
		}

	}

	/**
	 * Log events over OTLP, through Spring Boot's OTLP log exporter.
	 */
	public static class Otlp {

		/**
		 * Whether log events are exported over OTLP when
		 * management.opentelemetry.logging.export.otlp.endpoint is set.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
