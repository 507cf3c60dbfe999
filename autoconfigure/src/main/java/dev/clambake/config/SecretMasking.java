package dev.clambake.config;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Decides which properties hold secrets: any whose name ends in token, password, secret, key
 * or credentials, whatever the separators ({@code clambake.state.password},
 * {@code API_TOKEN}, {@code signingKey}). Everything Clambake logs or exposes goes through it.
 */
public final class SecretMasking {

	/**
	 * What a secret's value is shown as.
	 */
	public static final String MASK = "******";

	private static final List<String> SUFFIXES = List.of("token", "password", "secret", "key", "credentials");

	private SecretMasking() {
	}

	/**
	 * Whether the named property holds a secret.
	 * @param name a property or environment variable name
	 * @return {@code true} when its value must never be shown
	 */
	public static boolean isSecret(@Nullable String name) {
		if (name == null) {
			return false;
		}
		String normalized = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		return SUFFIXES.stream().anyMatch(normalized::endsWith);
	}

	/**
	 * Return the value to show for a property: the value itself, or {@value #MASK} for a secret.
	 * @param name the property or environment variable name
	 * @param value its value
	 * @return the value safe to log or expose
	 */
	public static String mask(@Nullable String name, @Nullable Object value) {
		return isSecret(name) ? MASK : String.valueOf(value);
	}

}
