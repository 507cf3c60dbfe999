package dev.clambake.config;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Decides which properties hold secrets and masks them: any whose name ends in token,
 * password, secret, key or credentials, whatever the separators
 * ({@code clambake.state.password}, {@code API_TOKEN}, {@code signingKey}); passwords in URLs
 * ({@code https://user:pw@host}) and secret-looking URL parameters ({@code ?password=pw},
 * {@code ;pwd=pw}) in any value; and secret-looking arguments ({@code --api-token=x},
 * {@code -Ddb.password=x}) in the JVM's command line. Everything Clambake logs or exposes goes
 * through it.
 */
public final class SecretMasking {

	/**
	 * What a secret's value is shown as.
	 */
	public static final String MASK = "******";

	private static final List<String> SUFFIXES = List.of("token", "password", "secret", "key", "credentials");

	/**
	 * Properties whose value is a command line: the JVM's own and the variables it reads
	 * options from.
	 */
	private static final Set<String> COMMAND_LINES = Set.of("sun.java.command", "jdk.java.options",
			"java_tool_options", "jdk_java_options", "_java_options", "maven_opts", "java_opts");

	// scheme://user:password@ : the password runs to the last '@' before the path
	private static final Pattern URL_USER_INFO = Pattern
		.compile("([a-zA-Z][a-zA-Z0-9+.\\-]*://[^\\s/?#@:\"']*:)[^\\s/?#\"']*@");

	// ?name=value, &name=value and ;name=value (JDBC URLs)
	private static final Pattern URL_PARAMETER = Pattern.compile("([?&;]\\s*)([A-Za-z0-9_.\\-]+)=([^&;#\\s\"']*)");

	// --name=value and -Dname=value, each a word of a command line
	private static final Pattern ARGUMENT = Pattern.compile("((?:^|\\s)(?:--|-D))([^=\\s]+)=(\\S*)");

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
	 * Return the value to show for a property: {@value #MASK} for a secret, the value with any
	 * credentials it contains masked otherwise (see {@link #maskCredentials(String)}, and
	 * {@link #maskCommandLine(String)} for the JVM's command line).
	 * @param name the property or environment variable name
	 * @param value its value
	 * @return the value safe to log or expose
	 */
	public static String mask(@Nullable String name, @Nullable Object value) {
		if (isSecret(name)) {
			return MASK;
		}
		String text = String.valueOf(value);
		return isCommandLine(name) ? maskCommandLine(text) : maskCredentials(text);
	}

	/**
	 * Whether the value can hold credentials {@link #mask(String, Object)} would mask:
	 * text, a {@link URI} or a {@link URL}.
	 * @param value a property value
	 * @return {@code true} for values shown as text
	 */
	public static boolean isText(@Nullable Object value) {
		return value instanceof CharSequence || value instanceof URI || value instanceof URL;
	}

	/**
	 * Mask credentials written inside a value: the password of a URL's user information
	 * ({@code scheme://user:******@host}) and the value of each URL parameter whose name is
	 * secret ({@code ?password=******}, {@code ;password=******}).
	 * @param text the value, for example a URL
	 * @return the value with its credentials masked
	 */
	public static String maskCredentials(String text) {
		String masked = URL_USER_INFO.matcher(text).replaceAll((match) -> Matcher.quoteReplacement(match.group(1)) + MASK + "@");
		return URL_PARAMETER.matcher(masked).replaceAll((match) -> isSecretParameter(match.group(2))
				? Matcher.quoteReplacement(match.group(1) + match.group(2) + "=" + MASK)
				: Matcher.quoteReplacement(match.group()));
	}

	/**
	 * Mask secrets in a command line: the value of each {@code --name=value} and
	 * {@code -Dname=value} argument whose name is secret, and credentials in the rest.
	 * @param commandLine the command line, arguments separated by white space
	 * @return the command line with its secrets masked
	 */
	public static String maskCommandLine(String commandLine) {
		String masked = ARGUMENT.matcher(commandLine).replaceAll((match) -> isSecret(match.group(2))
				? Matcher.quoteReplacement(match.group(1) + match.group(2) + "=" + MASK)
				: Matcher.quoteReplacement(match.group()));
		return maskCredentials(masked);
	}

	private static boolean isSecretParameter(String name) {
		return isSecret(name) || name.toLowerCase(Locale.ROOT).endsWith("pwd");
	}

	private static boolean isCommandLine(@Nullable String name) {
		return name != null && COMMAND_LINES.contains(name.toLowerCase(Locale.ROOT));
	}

}
