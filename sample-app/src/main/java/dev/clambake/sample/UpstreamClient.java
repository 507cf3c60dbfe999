package dev.clambake.sample;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import dev.clambake.resilience.ClambakeHttpClients;

/**
 * Calls the upstream through Clambake's named HTTP client {@code upstream}: finite timeouts,
 * retries of transient failures, a circuit breaker and rate-limit metrics.
 */
@Component
public class UpstreamClient {

	private final RestClient client;

	private final SampleProperties properties;

	private final Environment environment;

	UpstreamClient(ClambakeHttpClients clients, SampleProperties properties, Environment environment) {
		this.client = clients.restClient("upstream");
		this.properties = properties;
		this.environment = environment;
	}

	/**
	 * Call the upstream ({@code sample.upstream.url}, or this app's own {@code /api/hello}).
	 * @return the upstream's response body
	 */
	public String call() {
		String body = this.client.get()
			.uri(this.properties.getUpstream().resolve(this.environment))
			.retrieve()
			.body(String.class);
		return (body != null) ? body : "";
	}

}
