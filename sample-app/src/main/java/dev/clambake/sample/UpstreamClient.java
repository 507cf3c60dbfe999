package dev.clambake.sample;

import java.net.URI;

import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import dev.clambake.config.SecretMasking;
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
	 * Return the URL {@link #call()} requests.
	 * @return {@code sample.upstream.url}, or this app's own {@code /api/hello}
	 */
	public URI url() {
		return this.properties.getUpstream().resolve(this.environment);
	}

	/**
	 * Return the URL {@link #call()} requests as it may be logged or shown: any password or
	 * token written in it masked.
	 * @return the URL with its credentials masked
	 */
	public String displayUrl() {
		return SecretMasking.maskCredentials(url().toString());
	}

	/**
	 * Call the upstream through the named client: time limit, retry, circuit breaker and
	 * bulkhead apply, and the correlation and trace headers propagate.
	 * @return the upstream's final answer, whatever its status
	 */
	public ResponseEntity<String> call() {
		return this.client.get()
			.uri(url())
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
				// Any status is an answer to report, not an error
			})
			.toEntity(String.class);
	}

}
