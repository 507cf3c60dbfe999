package dev.clambake.config;

import org.jspecify.annotations.Nullable;

/**
 * Base of the exceptions that stop start-up with Clambake's own failure analysis: a
 * description of what is wrong and the action that fixes it. Spring Boot's
 * {@code FailureAnalyzedException} does the same only since 4.1; this works on every
 * supported line.
 */
public abstract class ClambakeStartupException extends RuntimeException {

	private final String action;

	protected ClambakeStartupException(String description, String action) {
		this(description, action, null);
	}

	protected ClambakeStartupException(String description, String action, @Nullable Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * Return what is wrong.
	 * @return the description
	 */
	public String getDescription() {
		String message = getMessage();
		return (message != null) ? message : "";
	}

	/**
	 * Return what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
