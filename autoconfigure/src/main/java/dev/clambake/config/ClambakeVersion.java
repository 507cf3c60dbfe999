package dev.clambake.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Clambake's own version, as built.
 */
public final class ClambakeVersion {

	private static final String VERSION = load();

	private ClambakeVersion() {
	}

	/**
	 * Return the version of the Clambake jar on the class path.
	 * @return the version, for example {@code 0.1.0}
	 */
	public static String get() {
		return VERSION;
	}

	private static String load() {
		try (InputStream in = ClambakeVersion.class.getResourceAsStream("/dev/clambake/clambake-version.properties")) {
			if (in == null) {
				return "unknown";
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version", "unknown");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
