package dev.clambake.correlation;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Properties of the correlation capability.
 */
@ConfigurationProperties("clambake.correlation")
public class ClambakeCorrelationProperties {

	/**
	 * Largest max-length accepted, so a misconfiguration cannot reopen the door to huge headers.
	 */
	static final int MAX_MAX_LENGTH = 1024;

	/**
	 * Whether to read, generate, log and propagate correlation ids.
	 */
	private boolean enabled = true;

	/**
	 * Header the id is read from first, echoed in the response and sent on outbound calls.
	 */
	private String headerName = "X-Correlation-ID";

	/**
	 * Further headers an inbound id is read from, in order, when the main header is absent.
	 */
	private List<String> acceptedHeaders = new ArrayList<>(List.of("X-Request-ID"));

	/**
	 * Longest inbound id accepted; longer ones are replaced by a generated id.
	 */
	private int maxLength = 128;

	/**
	 * The ids in error bodies.
	 */
	private final ErrorBodies errorBodies = new ErrorBodies();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getHeaderName() {
		return this.headerName;
	}

	public void setHeaderName(String headerName) {
		Assert.isTrue(CorrelationIds.isHeaderName(headerName),
				"must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
		this.headerName = headerName;
	}

	public List<String> getAcceptedHeaders() {
		return this.acceptedHeaders;
	}

	public void setAcceptedHeaders(List<String> acceptedHeaders) {
		for (String header : acceptedHeaders) {
			Assert.isTrue(CorrelationIds.isHeaderName(header),
					"each must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
		}
		this.acceptedHeaders = acceptedHeaders;
	}

	public int getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(int maxLength) {
		Assert.isTrue(maxLength >= 1 && maxLength <= MAX_MAX_LENGTH, "must be between 1 and " + MAX_MAX_LENGTH);
		this.maxLength = maxLength;
	}

	public ErrorBodies getErrorBodies() {
		return this.errorBodies;
	}

	/**
	 * The correlation id and trace id in problem details and Spring Boot's error bodies.
	 */
	public static class ErrorBodies {

		/**
		 * Whether problem-details responses and Spring Boot's error bodies carry the request's
		 * correlationId and traceId.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
