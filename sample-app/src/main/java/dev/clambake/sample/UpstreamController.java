package dev.clambake.sample;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Calls the configured upstream with a Spring Boot-built {@link RestClient} (which carries
 * the correlation id) and returns the upstream's status and body.
 */
@RestController
@RequestMapping("/api")
class UpstreamController {

	private static final Log logger = LogFactory.getLog(UpstreamController.class);

	private final RestClient restClient;

	private final SampleProperties properties;

	private final Environment environment;

	private final UpstreamAudit audit;

	UpstreamController(RestClient.Builder restClientBuilder, SampleProperties properties, Environment environment,
			UpstreamAudit audit) {
		this.restClient = restClientBuilder.build();
		this.properties = properties;
		this.environment = environment;
		this.audit = audit;
	}

	@GetMapping("/upstream")
	UpstreamResult upstream() {
		URI url = this.properties.getUpstream().resolve(this.environment);
		logger.info("Calling upstream " + url);
		ResponseEntity<String> response = this.restClient.get()
			.uri(url)
			.retrieve()
			.onStatus((status) -> true, (request, ignored) -> {
				// Any status is an answer to report, not an error
			})
			.toEntity(String.class);
		UpstreamResult result = new UpstreamResult(response.getStatusCode().value(),
				(response.getBody() != null) ? response.getBody() : "");
		this.audit.upstreamAnswered(url, result);
		return result;
	}

	/**
	 * What the upstream answered.
	 *
	 * @param status its HTTP status code
	 * @param body its body
	 */
	record UpstreamResult(int status, String body) {
	}

}
