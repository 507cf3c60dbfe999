package dev.clambake.resilience;

import java.io.IOException;

/**
 * Recorded by a named HTTP client's circuit breaker for a {@code 5xx} response: the response
 * itself still reaches the caller. List it in
 * {@code resilience4j.circuitbreaker.instances.<name>.ignore-exceptions} to keep server errors
 * out of the failure rate.
 */
public class ServerErrorResponseException extends IOException {

	private static final long serialVersionUID = 1L;

	private final int status;

	public ServerErrorResponseException(String client, int status) {
		super("HTTP client '" + client + "' received status " + status);
		this.status = status;
	}

	/**
	 * Return the response's status code.
	 * @return the status code
	 */
	public int getStatus() {
		return this.status;
	}

}
