package dev.clambake.config;

import java.util.List;
import java.util.stream.Collectors;


/**
 * Thrown at start-up when {@code clambake.config.fail-on-unknown-env} is set and a
 * {@code CLAMBAKE_*} environment variable matches no property.
 */
public class UnknownEnvironmentVariablesException extends ClambakeStartupException {

	private final List<UnknownEnvironmentVariable> variables;

	UnknownEnvironmentVariablesException(List<UnknownEnvironmentVariable> variables) {
		super(description(variables), "Rename or remove the variables above, or set"
				+ " clambake.config.fail-on-unknown-env=false to only warn about them.");
		this.variables = List.copyOf(variables);
	}

	private static String description(List<UnknownEnvironmentVariable> variables) {
		return variables.stream()
			.map((variable) -> "    " + variable.describe())
			.collect(Collectors.joining(System.lineSeparator(),
					"Environment variables that match no Clambake property (clambake.config.fail-on-unknown-env=true):"
							+ System.lineSeparator() + System.lineSeparator(),
					""));
	}

	/**
	 * Return the variables that matched no property.
	 * @return the unknown variables
	 */
	public List<UnknownEnvironmentVariable> getVariables() {
		return this.variables;
	}

}
