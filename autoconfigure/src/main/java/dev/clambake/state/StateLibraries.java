package dev.clambake.state;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The libraries the state store needs on the class path for a database, each known by one of
 * its classes and by the Maven coordinates that provide it. Checked by name, so a missing
 * library is reported without loading anything from it.
 */
final class StateLibraries {

	private static final List<Library> COMMON = List.of(
			new Library("com.zaxxer.hikari.HikariDataSource", "com.zaxxer", "HikariCP"),
			new Library("org.flywaydb.core.Flyway", "org.flywaydb", "flyway-core"),
			new Library("tools.jackson.core.json.JsonFactory", "tools.jackson.core", "jackson-core"));

	private static final List<Library> SQLITE = List.of(new Library("org.sqlite.JDBC", "org.xerial", "sqlite-jdbc"));

	private static final List<Library> POSTGRESQL = List.of(
			new Library("org.postgresql.Driver", "org.postgresql", "postgresql"),
			new Library("org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension", "org.flywaydb",
					"flyway-database-postgresql"));

	private StateLibraries() {
	}

	/**
	 * Return the libraries the store needs for a database.
	 * @param database the database
	 * @return the libraries, the ones every database needs first
	 */
	static List<Library> required(StateDatabase database) {
		List<Library> libraries = new ArrayList<>(COMMON);
		libraries.addAll((database == StateDatabase.SQLITE) ? SQLITE : POSTGRESQL);
		return libraries;
	}

	/**
	 * Return the libraries the store needs for a database that the class loader cannot find.
	 * @param database the database
	 * @param classLoader the application's class loader
	 * @return the missing libraries, empty when all are present
	 */
	static List<Library> missing(StateDatabase database, @Nullable ClassLoader classLoader) {
		return required(database).stream()
			.filter((library) -> !ClassUtils.isPresent(library.className(), classLoader))
			.toList();
	}

	/**
	 * A library, known by a class of it and the Maven coordinates that provide it.
	 *
	 * @param className a class the library holds
	 * @param groupId the Maven group id
	 * @param artifactId the Maven artifact id
	 */
	record Library(String className, String groupId, String artifactId) {

		String coordinates() {
			return this.groupId + ":" + this.artifactId;
		}

	}

}
