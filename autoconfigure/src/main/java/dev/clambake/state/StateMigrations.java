package dev.clambake.state;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The state store's own Flyway migrations, run on its private pool with their own history
 * table ({@value JdbcStateStore#SCHEMA_HISTORY_TABLE}), never as a {@code Flyway} bean.
 */
final class StateMigrations {

	private StateMigrations() {
	}

	static void migrate(StateDatabase database, DataSource dataSource, ClassLoader classLoader) {
		try {
			// Baseline at 0 so a database that already holds the application's own tables is
			// accepted and every migration of the store still runs; clean is never allowed
			Flyway.configure(classLoader)
				.dataSource(dataSource)
				.locations(database.migrationLocation())
				.table(JdbcStateStore.SCHEMA_HISTORY_TABLE)
				.baselineOnMigrate(true)
				.baselineVersion("0")
				.cleanDisabled(true)
				.load()
				.migrate();
		}
		catch (FlywayException ex) {
			String hint = (database == StateDatabase.POSTGRESQL && String.valueOf(ex.getMessage()).contains("Unsupported"))
					? " (add org.flywaydb:flyway-database-postgresql to the class path)" : "";
			throw new IllegalStateException("Could not migrate the state store's schema" + hint + ": " + ex.getMessage(),
					ex);
		}
	}

}
