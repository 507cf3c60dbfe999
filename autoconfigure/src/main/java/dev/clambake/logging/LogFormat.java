package dev.clambake.logging;

/**
 * The console log format.
 */
public enum LogFormat {

	/**
	 * JSON in staging and production and on Kubernetes, human-readable elsewhere.
	 */
	AUTO,

	/**
	 * Always JSON lines.
	 */
	JSON,

	/**
	 * Always Spring Boot's human-readable lines.
	 */
	TEXT

}
