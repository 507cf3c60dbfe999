package dev.clambake.config;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.tomlj.TomlPosition;

/**
 * Thrown when a Clambake configuration file cannot be used; carries its own failure
 * analysis naming the file and line.
 */
public class InvalidConfigFileException extends ClambakeStartupException {

	private final Path file;

	private final @Nullable Integer line;

	InvalidConfigFileException(Path file, @Nullable TomlPosition position, String problem, Throwable cause) {
		super(description(file, position, problem), "Fix " + file.toAbsolutePath()
				+ ". Clambake files use TOML (https://toml.io): top-level keys such as environment = \"staging\","
				+ " and sections such as [config] holding fail_on_unknown_env = true.", cause);
		this.file = file;
		this.line = (position != null) ? position.line() : null;
	}

	InvalidConfigFileException(Path file, String problem, String action) {
		super(description(file, null, problem), action);
		this.file = file;
		this.line = null;
	}

	private static String description(Path file, @Nullable TomlPosition position, String problem) {
		String where = (position != null) ? " at line " + position.line() + ", column " + position.column() : "";
		return "Clambake configuration file " + file.toAbsolutePath() + " is invalid" + where + ": " + problem;
	}

	/**
	 * Return the file that could not be used.
	 * @return the file
	 */
	public Path getFile() {
		return this.file;
	}

	/**
	 * Return the line the problem was found on, when known.
	 * @return the one-based line or {@code null}
	 */
	public @Nullable Integer getLine() {
		return this.line;
	}

}
