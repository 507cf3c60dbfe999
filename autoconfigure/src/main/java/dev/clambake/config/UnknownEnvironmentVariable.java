package dev.clambake.config;

import org.jspecify.annotations.Nullable;

/**
 * A {@code CLAMBAKE_*} environment variable that matches no property, with the closest known
 * variable when one is near enough to be a likely typo.
 *
 * @param name the variable's name (its value is never kept)
 * @param suggestion the closest known variable, or {@code null}
 */
public record UnknownEnvironmentVariable(String name, @Nullable String suggestion) {

	String describe() {
		String text = "Environment variable " + this.name + " matches no Clambake property";
		return (this.suggestion != null) ? text + " (closest known variable: " + this.suggestion + ")" : text;
	}

}
