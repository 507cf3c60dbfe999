package dev.clambake.state;

import java.util.regex.Pattern;

import dev.clambake.config.ClambakeStartupException;

/**
 * Thrown at start-up when the state store cannot reach its database within the configured
 * time-outs; its failure analysis names the URL (password masked), what failed and the
 * property to change.
 */
public class StateStoreStartupException extends ClambakeStartupException {

	private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:ssl)?password=)[^&;]*");

	private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

	StateStoreStartupException(StateDatabase database, String url, String reason, String property,
			Throwable cause) {
		super("The state store could not use its database " + maskedUrl(url) + " (clambake.state.url): " + reason
				+ ".", action(database, property), cause);
	}

	private static String action(StateDatabase database, String property) {
		String check = (database == StateDatabase.SQLITE)
				? "Check that the database file and its directory exist and that this process may write them."
				: "Check that the database is running and reachable from this host. If it is only slow, raise "
						+ property + ".";
		return check + " To start without the state store, set clambake.state.enabled=false.";
	}

	/**
	 * Return the URL with any password in it replaced by a mask.
	 * @param url a JDBC URL
	 * @return the URL safe to log
	 */
	static String maskedUrl(String url) {
		String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1******");
		return USER_INFO.matcher(masked).replaceAll("//$1:******@");
	}

}
