package dev.clambake.state;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.clambake.config.ClambakeStartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeStateLibrariesAutoConfigurationTests {

	private static final String POSTGRESQL_URL = "jdbc:postgresql://127.0.0.1:1/none";

	private static final List<String> ARTIFACTS = List.of("com.zaxxer:HikariCP", "org.flywaydb:flyway-core",
			"tools.jackson.core:jackson-core", "org.xerial:sqlite-jdbc", "org.postgresql:postgresql",
			"org.flywaydb:flyway-database-postgresql");

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ClambakeStateLibrariesAutoConfiguration.class, ClambakeStateAutoConfiguration.class));

	private ApplicationContextRunner enabled() {
		return this.runner.withPropertyValues("clambake.state.enabled=true",
				"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("data/state.db"));
	}

	static Stream<Arguments> missingLibraries() {
		return Stream.of(Arguments.of("jdbc:sqlite:", new FilteredClassLoader("org.sqlite"), "SQLite",
				List.of("org.xerial:sqlite-jdbc")),
				Arguments.of("jdbc:sqlite:", new FilteredClassLoader("org.flywaydb"), "SQLite",
						List.of("org.flywaydb:flyway-core")),
				Arguments.of("jdbc:sqlite:", new FilteredClassLoader("com.zaxxer.hikari"), "SQLite",
						List.of("com.zaxxer:HikariCP")),
				Arguments.of("jdbc:sqlite:", new FilteredClassLoader("tools.jackson.core"), "SQLite",
						List.of("tools.jackson.core:jackson-core")),
				Arguments.of(POSTGRESQL_URL, new FilteredClassLoader("org.postgresql"), "PostgreSQL",
						List.of("org.postgresql:postgresql")),
				Arguments.of(POSTGRESQL_URL, new FilteredClassLoader("org.flywaydb.database.postgresql"), "PostgreSQL",
						List.of("org.flywaydb:flyway-database-postgresql")),
				Arguments.of(POSTGRESQL_URL, new FilteredClassLoader("org.postgresql", "org.flywaydb"), "PostgreSQL",
						List.of("org.flywaydb:flyway-core", "org.postgresql:postgresql",
								"org.flywaydb:flyway-database-postgresql")));
	}

	@ParameterizedTest(name = "{0} without {3}")
	@MethodSource("missingLibraries")
	void switchedOnWithoutALibraryFailsNamingExactlyTheMissingArtifacts(String url, FilteredClassLoader classLoader,
			String database, List<String> missing) {
		String stateUrl = url.equals("jdbc:sqlite:") ? url + this.directory.resolve("data/state.db") : url;
		this.runner.withPropertyValues("clambake.state.enabled=true", "clambake.state.url=" + stateUrl)
			.withClassLoader(classLoader)
			.run((context) -> {
				assertThat(context).hasFailed();
				ClambakeStartupException failure = findStartupException(context.getStartupFailure());
				assertThat(failure).isInstanceOf(StateLibrariesMissingException.class);
				assertThat(((StateLibrariesMissingException) failure).getArtifacts()).isEqualTo(missing);
				assertThat(failure.getDescription()).contains("clambake.state.enabled=true").contains(database);
				for (String artifact : ARTIFACTS) {
					String[] coordinates = artifact.split(":");
					String dependency = "<groupId>" + coordinates[0] + "</groupId>" + System.lineSeparator()
							+ "        <artifactId>" + coordinates[1] + "</artifactId>";
					if (missing.contains(artifact)) {
						assertThat(failure.getDescription()).contains(artifact);
						assertThat(failure.getAction()).contains(dependency);
					}
					else {
						assertThat(failure.getDescription()).doesNotContain(artifact);
						assertThat(failure.getAction()).doesNotContain(dependency);
					}
				}
				assertThat(failure.getAction()).contains("clambake.state.enabled=false");
			});
	}

	@Test
	void switchedOnWithEveryLibraryStartsTheStore() {
		enabled().run((context) -> assertThat(context).hasNotFailed().hasSingleBean(StateStore.class));
	}

	@Test
	void postgresqlWithEveryLibraryPassesTheCheck() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ClambakeStateLibrariesAutoConfiguration.class))
			.withPropertyValues("clambake.state.enabled=true", "clambake.state.url=" + POSTGRESQL_URL)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ClambakeStateLibrariesAutoConfiguration.StateLibrariesCheck.class));
	}

	@Test
	void sqliteDoesNotNeedThePostgresqlLibraries() {
		enabled().withClassLoader(new FilteredClassLoader("org.postgresql", "org.flywaydb.database.postgresql"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(StateStore.class));
	}

	@Test
	void notSwitchedOnWithoutAnyLibraryStartsWithoutTheStore() {
		this.runner.withClassLoader(everyLibraryHidden())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ClambakeStateLibrariesAutoConfiguration.StateLibrariesCheck.class)
				.doesNotHaveBean(StateStore.class));
	}

	@Test
	void switchedOffWithoutAnyLibraryStartsWithoutTheStore() {
		this.runner.withPropertyValues("clambake.state.enabled=false")
			.withClassLoader(everyLibraryHidden())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ClambakeStateLibrariesAutoConfiguration.StateLibrariesCheck.class)
				.doesNotHaveBean(StateStore.class));
	}

	@Test
	void switchedOnLazilyStillFailsAtStartUp() {
		enabled().withPropertyValues("spring.main.lazy-initialization=true")
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withClassLoader(new FilteredClassLoader("org.sqlite"))
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void eachLibraryIsCheckedByAClassOfTheArtifactNamedForIt() throws Exception {
		for (StateDatabase database : StateDatabase.values()) {
			for (StateLibraries.Library library : StateLibraries.required(database)) {
				String location = Class.forName(library.className())
					.getProtectionDomain()
					.getCodeSource()
					.getLocation()
					.toString();
				assertThat(location).as(library.className())
					.contains("/" + library.groupId().replace('.', '/') + "/" + library.artifactId() + "/");
			}
		}
	}

	private static FilteredClassLoader everyLibraryHidden() {
		return new FilteredClassLoader("com.zaxxer.hikari", "org.flywaydb", "tools.jackson.core", "org.sqlite",
				"org.postgresql");
	}

	private static ClambakeStartupException findStartupException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ClambakeStartupException startup) {
				return startup;
			}
		}
		throw new AssertionError("No ClambakeStartupException in " + failure, failure);
	}

}
