package dev.clambake.config;

import java.util.Locale;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where a service runs; later capabilities key behaviour on it (JSON logs, report findings,
 * the {@code environment} metric tag).
 */
public enum ClambakeEnvironment {

	/**
	 * A developer's machine.
	 */
	DEVELOPMENT,

	/**
	 * Automated tests.
	 */
	TESTING,

	/**
	 * A pre-production environment.
	 */
	STAGING,

	/**
	 * Production.
	 */
	PRODUCTION;

	/**
	 * The property that sets where a service runs.
	 */
	public static final String PROPERTY = "clambake.environment";

	/**
	 * Read {@value #PROPERTY} from an environment the way {@link ClambakeProperties} binds it
	 * (relaxed names, {@code CLAMBAKE_ENVIRONMENT}), {@link #DEVELOPMENT} when it is not set.
	 * Every capability that keys behaviour on the environment reads it here, also before the
	 * application context exists.
	 * @param environment the environment to read
	 * @return where the service runs
	 * @throws org.springframework.boot.context.properties.bind.BindException when the value
	 * is not one of the constants
	 */
	public static ClambakeEnvironment of(Environment environment) {
		return Binder.get(environment).bind(PROPERTY, ClambakeEnvironment.class).orElse(DEVELOPMENT);
	}

	/**
	 * The value as users write it, for example {@code staging}.
	 * @return the lower-case name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether this is a shared environment (staging or production) rather than a developer's
	 * machine or a test run.
	 * @return {@code true} for staging and production
	 */
	public boolean isDeployed() {
		return this == STAGING || this == PRODUCTION;
	}

	@Override
	public String toString() {
		return value();
	}

}
