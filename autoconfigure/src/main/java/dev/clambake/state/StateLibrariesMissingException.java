package dev.clambake.state;

import java.util.List;
import java.util.stream.Collectors;

import dev.clambake.config.ClambakeStartupException;
import dev.clambake.state.StateLibraries.Library;

/**
 * Thrown at start-up when {@code clambake.state.enabled=true} is set but a library the store
 * needs for the configured database is not on the class path; its failure analysis names the
 * Maven coordinates to add.
 */
public class StateLibrariesMissingException extends ClambakeStartupException {

	private final List<String> artifacts;

	StateLibrariesMissingException(StateDatabase database, List<Library> missing) {
		super(description(database, missing), action(missing));
		this.artifacts = missing.stream().map(Library::coordinates).toList();
	}

	private static String description(StateDatabase database, List<Library> missing) {
		String nl = System.lineSeparator();
		return missing.stream()
			.map((library) -> "    " + library.coordinates() + " (" + library.className() + " not found)")
			.collect(Collectors.joining(nl, "The state store is switched on (clambake.state.enabled=true) but "
					+ "libraries it needs for " + name(database) + " (clambake.state.url) are missing:" + nl + nl,
					""));
	}

	private static String action(List<Library> missing) {
		String nl = System.lineSeparator();
		String dependencies = missing.stream()
			.map((library) -> "    <dependency>" + nl + "        <groupId>" + library.groupId() + "</groupId>" + nl
					+ "        <artifactId>" + library.artifactId() + "</artifactId>" + nl + "    </dependency>")
			.collect(Collectors.joining(nl));
		return "Add the missing libraries (Spring Boot manages their versions):" + nl + nl + dependencies + nl + nl
				+ "or set clambake.state.enabled=false to run without the state store.";
	}

	private static String name(StateDatabase database) {
		return (database == StateDatabase.SQLITE) ? "SQLite" : "PostgreSQL";
	}

	/**
	 * Return the Maven coordinates of the missing libraries.
	 * @return {@code groupId:artifactId} of each missing library
	 */
	public List<String> getArtifacts() {
		return this.artifacts;
	}

}
