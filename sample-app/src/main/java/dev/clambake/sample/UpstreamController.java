package dev.clambake.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls the configured upstream through the named client {@code upstream} (built from Spring
 * Boot's {@code RestClient.Builder}, so it carries the correlation id) and returns the
 * upstream's status and body.
 */
@RestController
@RequestMapping("/api")
class UpstreamController {

	private static final Log logger = LogFactory.getLog(UpstreamController.class);

	private final UpstreamClient upstream;

	private final UpstreamAudit audit;

	UpstreamController(UpstreamClient upstream, UpstreamAudit audit) {
		this.upstream = upstream;
		this.audit = audit;
	}

	/**
	 * Call the upstream through the resilient named client {@code upstream}. Its answer comes
	 * back as JSON; when it cannot be reached (refused, timed out, circuit open) this endpoint
	 * answers 502 so the failure shows in the service's own metrics.
	 */
	@GetMapping("/upstream")
	ResponseEntity<UpstreamResult> upstream() {
		String url = this.upstream.displayUrl();
		logger.info("Calling upstream " + url);
		try {
			ResponseEntity<String> response = this.upstream.call();
			UpstreamResult result = new UpstreamResult(response.getStatusCode().value(),
					(response.getBody() != null) ? response.getBody() : "");
			this.audit.upstreamAnswered(url, result);
			return ResponseEntity.ok(result);
		}
		catch (RuntimeException ex) {
			logger.warn("Upstream " + url + " failed: " + ex.getClass().getSimpleName());
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
				.body(new UpstreamResult(0, ex.getClass().getSimpleName()));
		}
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
